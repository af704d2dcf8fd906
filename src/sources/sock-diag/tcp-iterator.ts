/**
 * @module The BPF tcp iterator as a socket source: one walk of a namespace's
 * TCP sockets that hands over the dump's messages without the kernel
 * building a netlink message per socket (at 240k sockets about 80 ms of
 * kernel time less per read). It fills only a socket's endpoints (family,
 * state, addresses, ports, and the timers of TIME_WAIT and request
 * sockets), so the read plan gives it only the passes whose every analysis
 * reads no more (Needs.fields). Loaded once per process and kept, and only
 * for the scopes read again and again (HostScope.oneWalk: metrics --listen's;
 * the watcher's too, but its CLOSE_WAIT report reads owners, so its passes
 * go to netlink), where its load (~20 ms: the BTF, the verifier) is paid once.
 *
 * It needs root, the kernel's BTF, bpf_iter_tcp (Linux 5.9+) and the
 * kernel's HZ (kernel-hz.ts). SOCKDOC_SOCKETS=netlink turns it off (to
 * compare, or on a kernel where it misbehaves); SOCKDOC_SOCKETS=bpf uses
 * it for one-shot commands too.
 */
import { kernelBtf } from "../bpf/kernel-btf.js";
import { hzOfThisKernel } from "../bpf/kernel-hz.js";
import { tcpIteratorOffsets } from "../bpf/tcp-offsets.js";
import { KeptProgram, type ProgramLoad } from "../bpf/kept-program.js";
import { loadProgram } from "../bpf/load-program.js";
import type { BpfTcpIterHandle, NativeAddon } from "../native.js";

/** Why the iterator cannot serve (null: it can be tried). repeated: the scope is read again and again. */
function ineligible(native: NativeAddon, repeated: boolean): string | null {
  const forced = process.env.SOCKDOC_SOCKETS;
  if (forced === "netlink") return "SOCKDOC_SOCKETS=netlink";
  if (!repeated && forced !== "bpf") return "a one-shot read (its load would cost more than it saves)";
  if (!native.BpfTcpIter) return "the addon predates the tcp iterator";
  if (process.geteuid?.() !== 0) return "not root";
  return null;
}

function open(native: NativeAddon): ProgramLoad<BpfTcpIterHandle> {
  const btf = kernelBtf();
  if ("error" in btf) return { handle: null, reason: `no BTF (${btf.error})` };
  const found = tcpIteratorOffsets(btf.btf);
  if ("missing" in found) return { handle: null, reason: `the kernel's BTF lacks ${found.missing}` };
  const hz = hzOfThisKernel();
  if ("missing" in hz) return { handle: null, reason: `cannot tell the kernel's ${hz.missing}` };
  return loadProgram(() => new native.BpfTcpIter!(found.offsets, found.btfId, hz.hz));
}

/** The iterator, or null and why not (for --debug): then netlink dumps every pass. */
export interface TcpIteratorChoice {
  iterator: BpfTcpIterHandle | null;
  why: string | null;
}

const kept = new KeptProgram<BpfTcpIterHandle>();

/** The iterator, opened at the first read that may use it and kept for the process. */
export function tcpIterator(native: NativeAddon, repeated: boolean): TcpIteratorChoice {
  const reason = ineligible(native, repeated);
  if (reason !== null) return { iterator: null, why: reason };
  const { handle, reason: why } = kept.get(() => open(native));
  return { iterator: handle, why };
}

/**
 * After a read through it failed: stop using it in this process (netlink
 * takes over). Returns the reason kept: the first failure's.
 */
export function dropTcpIterator(reason: string): string {
  return kept.drop(`a read through it failed (${reason}) where netlink's did not`);
}
