/**
 * @module The running kernel's BTF (/sys/kernel/btf/vmlinux), parsed once per
 * process: the BPF programs sockdoc loads find their offsets in it.
 */
import { readFileSync } from "node:fs";
import { Btf } from "./btf.js";

export const BTF_PATH = "/sys/kernel/btf/vmlinux";

let parsed: { btf: Btf } | { error: string } | undefined;

/** The kernel's BTF, or why it cannot be read. */
export function kernelBtf(): { btf: Btf } | { error: string } {
  if (parsed === undefined) {
    try {
      parsed = { btf: new Btf(readFileSync(BTF_PATH)) };
    } catch (err) {
      parsed = { error: (err as Error).message };
    }
  }
  return parsed;
}
