/**
 * @module sock_diag source: TCP sockets from the kernel over netlink, with
 * the state filter applied in the kernel. The I/O is one addon call per
 * address family; decoding and request building are pure (sock-diag/).
 */
import type { Family } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import type { NativeAddon } from "./native.js";
import { countInetDiagStates } from "./sock-diag/count-states.js";
import { decodeInetDiagMessages } from "./sock-diag/decode.js";
import { AF_INET, AF_INET6 } from "./sock-diag/layout.js";

export { countInetDiagStates } from "./sock-diag/count-states.js";
export { decodeInetDiagMessages } from "./sock-diag/decode.js";
export { buildDestroyRequest } from "./sock-diag/destroy-request.js";

/**
 * TCP sockets of the given families whose state bit is in statesMask
 * (tcp-state.ts stateBit). The AF_INET6 dump also holds IPv4-mapped sockets
 * of dual-stack listeners; no socket appears in both dumps. Addon errors
 * (Node-style, with code/errno/syscall) propagate so the caller can fall
 * back to /proc and say why.
 */
export function readSockDiag(
  addon: Pick<NativeAddon, "inetDiagDump">,
  statesMask: number,
  families: readonly Family[],
): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const family of families) {
    const decoded = decodeInetDiagMessages(addon.inetDiagDump(family === 4 ? AF_INET : AF_INET6, statesMask));
    for (const socket of decoded) sockets.push(socket);
  }
  return sockets;
}

/**
 * Socket counts per state (index = kernel state number, see
 * countInetDiagStates) for the given families, without decoding sockets.
 */
export function readSockDiagCounts(
  addon: Pick<NativeAddon, "inetDiagDump">,
  statesMask: number,
  families: readonly Family[],
): number[] {
  let total: number[] | null = null;
  for (const family of families) {
    const counts = countInetDiagStates(addon.inetDiagDump(family === 4 ? AF_INET : AF_INET6, statesMask));
    total = total === null ? counts : total.map((n, state) => n + (counts[state] ?? 0));
  }
  return total ?? countInetDiagStates(new Uint8Array(0));
}
