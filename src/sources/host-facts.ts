/**
 * @module The host facts a snapshot carries: hostname and kernel release.
 */
import type { HostFacts } from "../model/snapshot.js";
import { readHostname, readKernelRelease } from "./kernel.js";
import type { ProcFs } from "./procfs.js";

export function readHostFacts(proc: ProcFs, sysctls: Record<string, string> = {}): HostFacts {
  return { hostname: readHostname(proc) ?? "unknown", kernel: readKernelRelease(proc), sysctls };
}
