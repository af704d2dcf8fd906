/**
 * @module sock_diag source: TCP sockets from the kernel over netlink, with
 * the state filter applied in the kernel. The I/O is one addon call per
 * address family; decoding and request building are pure (sock-diag/).
 */
import type { Family } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import type { NativeAddon } from "./native.js";
import { countInetDiagStates } from "./sock-diag/count-states.js";
import { decodeInetDiagMessages } from "./sock-diag/decode.js";
import { AF_INET, AF_INET6 } from "./sock-diag/layout.js";
import {
  type BriefVisitor,
  type CursorVisitor,
  visitInetDiagCursor,
  visitInetDiagMessages,
} from "./sock-diag/visit.js";

export { countInetDiagStates } from "./sock-diag/count-states.js";
export { decodeInetDiagMessages } from "./sock-diag/decode.js";
export { buildDestroyRequest } from "./sock-diag/destroy-request.js";
export type { SocketCursor } from "./sock-diag/cursor.js";
export type { BriefVisitor, CursorVisitor } from "./sock-diag/visit.js";

/**
 * TCP sockets of the given families whose state bit is in statesMask
 * (tcp-state.ts stateBit). The AF_INET6 dump also holds IPv4-mapped sockets
 * of dual-stack listeners; no socket appears in both dumps. Addon errors
 * (Node-style, with code/errno/syscall) propagate so the caller can fall
 * back to /proc and say why.
 */
export function readSockDiag(addon: DumpAddon, statesMask: number, families: readonly Family[]): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const dump of dumpAll(addon, statesMask, families)) {
    for (const socket of decodeInetDiagMessages(dump)) sockets.push(socket);
  }
  return sockets;
}

type DumpAddon = Pick<NativeAddon, "inetDiagDump"> & Partial<Pick<NativeAddon, "inetDiagDumpMany">>;

const TIME_WAIT_BIT = 1 << TcpState.TIME_WAIT;

/**
 * The dumps that together cover statesMask for these families: TIME_WAIT
 * apart from the other states, so that the two (often the biggest shares)
 * are dumped in parallel threads. Pure.
 */
export function planDumps(statesMask: number, families: readonly Family[]): Array<[number, number]> {
  const masks =
    statesMask & TIME_WAIT_BIT && statesMask & ~TIME_WAIT_BIT
      ? [TIME_WAIT_BIT, statesMask & ~TIME_WAIT_BIT]
      : statesMask
        ? [statesMask]
        : [];
  return families.flatMap((f) => masks.map((m): [number, number] => [f === 4 ? AF_INET : AF_INET6, m]));
}

function dumpAll(addon: DumpAddon, statesMask: number, families: readonly Family[]): Buffer[] {
  return runDumps(addon, planDumps(statesMask, families));
}

function runDumps(addon: DumpAddon, plan: Array<[number, number]>): Buffer[] {
  if (addon.inetDiagDumpMany && plan.length > 1) return addon.inetDiagDumpMany(plan);
  return plan.map(([family, mask]) => addon.inetDiagDump(family, mask));
}

/**
 * Socket counts per state (index = kernel state number, see
 * countInetDiagStates) for the given families, without decoding sockets.
 */
export function readSockDiagCounts(
  addon: DumpAddon,
  statesMask: number,
  families: readonly Family[],
): number[] {
  let total: number[] | null = null;
  for (const dump of dumpAll(addon, statesMask, families)) {
    const counts = countInetDiagStates(dump);
    total = total === null ? counts : total.map((n, state) => n + (counts[state] ?? 0));
  }
  return total ?? countInetDiagStates(new Uint8Array(0));
}

/**
 * Streams state, local port and peer address of each socket to visit,
 * without decoding whole sockets (summary's fast path).
 */
export function visitSockDiag(
  addon: DumpAddon,
  statesMask: number,
  families: readonly Family[],
  visit: BriefVisitor,
): void {
  for (const dump of dumpAll(addon, statesMask, families)) visitInetDiagMessages(dump, visit);
}

/** One streaming pass: the states it reads and what it does with each socket. */
export interface DiagPass {
  statesMask: number;
  visit: CursorVisitor;
}

/**
 * Dumps the states of every pass at once (in parallel threads), then visits
 * the passes in order, each socket through a reusable cursor, so a pass may
 * rely on what the ones before it saw (timewait learns the listening ports
 * before it groups). Within a pass the sockets come in readSockDiag's order.
 */
export function visitSockDiagPasses(
  addon: DumpAddon,
  families: readonly Family[],
  passes: readonly DiagPass[],
): void {
  const plans = passes.map((pass) => planDumps(pass.statesMask, families));
  const dumps: Array<Buffer | null> = runDumps(addon, plans.flat());
  let next = 0;
  plans.forEach((plan, i) => {
    for (let n = 0; n < plan.length; n++, next++) {
      visitInetDiagCursor(dumps[next]!, passes[i]!.visit);
      // Done with it: its memory may go as soon as the collector wants.
      dumps[next] = null;
    }
  });
}
