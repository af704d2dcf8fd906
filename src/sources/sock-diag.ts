/**
 * @module sock_diag source: TCP sockets from the kernel over netlink, with
 * the state filter (and, where asked, a port filter) applied in the kernel.
 * The I/O is the addon's dump stream; decoding and request planning are pure
 * (sock-diag/).
 */
import type { Family } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import type { BpfTcpIterHandle, InetDiagStreamHandle, NativeAddon, StreamRequest } from "./native.js";
import { decodeInetDiagMessages } from "./sock-diag/decode.js";
import type { StateTally } from "../model/state-tally.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./sock-diag/layout.js";
import {
  type BriefVisitor,
  type CursorVisitor,
  visitInetDiagCursor,
  visitInetDiagMessages,
} from "./sock-diag/visit.js";

export { localPortRangeProgram, MAX_REMOTE_PORTS } from "./sock-diag/bytecode.js";
export { decodeInetDiagMessages } from "./sock-diag/decode.js";
export { buildDestroyRequest } from "./sock-diag/destroy-request.js";
export type { SocketCursor } from "./sock-diag/cursor.js";
export type { StateTally } from "../model/state-tally.js";
export type { BriefVisitor, CursorVisitor } from "./sock-diag/visit.js";

/** What the dumps need of the addon; InetDiagStream is optional so tests can fake the simple form. */
export type DumpAddon = Pick<NativeAddon, "inetDiagDump"> & Partial<Pick<NativeAddon, "InetDiagStream">>;

/** One dump of a plan: what the kernel is asked for, and the lane (thread) that runs it. */
export interface PlannedDump {
  family: number;
  statesMask: number;
  /** An inet_diag filter program (sock-diag/bytecode.ts), run by the kernel on every socket. */
  bytecode?: Uint8Array;
  lane: number;
  /** Sockets of these states are tallied by the addon instead of handed over (see tally.ts). */
  tally?: TallyRequest;
  /** Read by the BPF tcp iterator instead of netlink (sock-diag/tcp-iterator.ts): endpoints only. */
  iterator?: BpfTcpIterHandle;
}

/** Which sockets of a dump the addon tallies instead of handing them over, and how finely. */
export interface TallyRequest {
  states: number;
  /** Per local port and remote address too, not only per state. */
  detail: boolean;
  /** Tallied sockets whose local port is in [low, high] are handed over as well. */
  keep?: readonly [number, number];
}

const TIME_WAIT_BIT = 1 << TcpState.TIME_WAIT;

let dumpRequests = 0;

/** Dump requests sent to the kernel by this process so far (the inspection counts its own). */
export function dumpRequestCount(): number {
  return dumpRequests;
}

/**
 * The dumps that together cover statesMask for these families. Both
 * families come from one dump (AF_UNSPEC: one walk of the kernel's socket
 * tables instead of two). TIME_WAIT is dumped apart from the other states
 * on a lane (thread) of its own, so the two big shares of a busy host are
 * made on two cores at once. Pure.
 */
export function planDumps(
  statesMask: number,
  families: readonly Family[],
  bytecode?: Uint8Array,
  /** false: one walk for every state (many small namespaces: each walk visits the whole table). */
  splitTimeWait = true,
): PlannedDump[] {
  const masks =
    splitTimeWait && statesMask & TIME_WAIT_BIT && statesMask & ~TIME_WAIT_BIT
      ? [TIME_WAIT_BIT, statesMask & ~TIME_WAIT_BIT]
      : statesMask
        ? [statesMask]
        : [];
  const both = families.includes(4) && families.includes(6);
  const dumpFamilies = both ? [AF_UNSPEC] : families.map((f) => (f === 4 ? AF_INET : AF_INET6));
  return dumpFamilies.flatMap((family) =>
    masks.map((mask) => ({
      family,
      statesMask: mask,
      ...(bytecode ? { bytecode } : {}),
      lane: mask === TIME_WAIT_BIT ? 1 : 0,
    })),
  );
}

/**
 * Every chunk of every dump of the plan, dump by dump in plan order, as
 * [dump index, bytes]. With the addon's stream the dumps all run at once and
 * a chunk is yielded as soon as the kernel has filled it, so the caller
 * decodes while the kernel still works; a caller that stops early stops the
 * dumps too. Each chunk holds whole messages.
 */
/** The dumps one at a time without the stream (a test fake): both families as two dumps. */
export function* plainDumps(
  addon: DumpAddon,
  plan: readonly PlannedDump[],
  netnsPath?: string,
): Generator<[number, Buffer]> {
  if (netnsPath) throw Object.assign(new Error("this addon cannot enter a namespace"), { syscall: "setns" });
  for (let i = 0; i < plan.length; i++) {
    const d = plan[i]!;
    for (const family of d.family === AF_UNSPEC ? [AF_INET, AF_INET6] : [d.family]) {
      dumpRequests++;
      // No tally here: every socket is handed over.
      yield [i, addon.inetDiagDump(family, d.statesMask, d.bytecode ? Buffer.from(d.bytecode) : undefined)];
    }
  }
}

/** The plan's dumps started on the addon's lanes (inside netnsPath's namespace when given), counted. */
export function openStream(
  addon: Required<DumpAddon>,
  plan: readonly PlannedDump[],
  netnsPath?: string,
): InetDiagStreamHandle {
  dumpRequests += plan.length;
  const requests = plan.map(streamRequest);
  const lanes = plan.map((d) => d.lane);
  const iterators = plan.some((d) => d.iterator) ? plan.map((d) => d.iterator) : undefined;
  return new addon.InetDiagStream(requests, lanes, netnsPath, iterators);
}

function* dumpChunks(
  addon: DumpAddon,
  plan: readonly PlannedDump[],
  netnsPath?: string,
): Generator<[number, Buffer]> {
  if (plan.length === 0) return;
  if (!addon.InetDiagStream) {
    yield* plainDumps(addon, plan, netnsPath);
    return;
  }
  const stream = openStream(addon as Required<DumpAddon>, plan, netnsPath);
  try {
    for (let i = 0; i < plan.length; i++) {
      for (let chunk = stream.next(i); chunk !== null; chunk = stream.next(i)) yield [i, chunk];
    }
  } finally {
    stream.close();
  }
}

/** A planned dump as the addon takes it: [family, statesMask(, bytecode(, tallyStates, tallyDetail(, keepLow, keepHigh)))]. */
export function streamRequest(d: PlannedDump): StreamRequest {
  const bytecode = d.bytecode ? Buffer.from(d.bytecode) : undefined;
  if (d.tally?.keep)
    return [d.family, d.statesMask, bytecode, d.tally.states, d.tally.detail, ...d.tally.keep];
  if (d.tally) return [d.family, d.statesMask, bytecode, d.tally.states, d.tally.detail];
  return bytecode ? [d.family, d.statesMask, bytecode] : [d.family, d.statesMask];
}

/** SYN_RECV as sockdoc counts it holds the kernel's request sockets (NEW_SYN_RECV) too. */
function withRequestSocks(states: number): number {
  return states & (1 << TcpState.SYN_RECV) ? states | (1 << TcpState.NEW_SYN_RECV) : states;
}

/** The tally a pass asks of one of its dumps, if any (none with a filter, or on an addon without tallies). */
function dumpTally(pass: DiagPass, dump: PlannedDump, tallies: boolean): TallyRequest | undefined {
  if (!tallies || !pass.tally || dump.bytecode) return undefined;
  const states = withRequestSocks(pass.tally.states & dump.statesMask);
  if (!states) return undefined;
  return { states, detail: pass.tally.detail, ...(pass.tally.keep ? { keep: pass.tally.keep } : {}) };
}

/**
 * TCP sockets of the given families whose state bit is in statesMask
 * (tcp-state.ts stateBit). The AF_INET6 dump also holds IPv4-mapped sockets
 * of dual-stack listeners; no socket appears in both dumps. Addon errors
 * (Node-style, with code/errno/syscall) propagate so the caller can fall
 * back to /proc and say why.
 */
export function readSockDiag(addon: DumpAddon, statesMask: number, families: readonly Family[]): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const [, chunk] of dumpChunks(addon, planDumps(statesMask, families))) {
    for (const socket of decodeInetDiagMessages(chunk)) sockets.push(socket);
  }
  return sockets;
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
  for (const [, chunk] of dumpChunks(addon, planDumps(statesMask, families))) {
    visitInetDiagMessages(chunk, visit);
  }
}

/** One streaming pass: the states it reads and what it does with each socket. */
export interface DiagPass {
  statesMask: number;
  /**
   * A kernel-side filter for this pass's sockets (sock-diag/bytecode.ts). A
   * function is called once the passes before it have been visited, so the
   * filter can rest on what they saw; null from it skips the pass. The async
   * read may also call it earlier, once the last dump before it has begun
   * (sock-diag/early-stage.ts): so it must only read, and the early dump is
   * used only if the final call gives the same program.
   */
  bytecode?: Uint8Array | (() => Uint8Array | null);
  visit: CursorVisitor;
  /** One dump for all the pass's states, TIME_WAIT included (see planDumps). */
  oneWalk?: boolean;
  /** The lane (thread) of the pass's dumps, instead of planDumps's choice. */
  lane?: number;
  /**
   * Read the pass through the BPF tcp iterator instead of netlink: only the
   * sockets' endpoints are filled (see sock-diag/tcp-iterator.ts). Never with
   * a filter.
   */
  iterator?: BpfTcpIterHandle;
  /**
   * Sockets of these states are not visited: the addon tallies them and
   * take() gets each dump's tally once the dump is done. Never with a
   * filter (the tally would count only what it let through). With keep,
   * the tallied sockets of those local ports come through tally.visit too.
   */
  tally?: TallyRequest & {
    take(tally: StateTally): void;
    /** visit for the dumps tallied: the sockets kept (keep) go only to collectors that did not take the tally. */
    visit: CursorVisitor;
  };
}

/**
 * Visits the passes in order, each socket through a reusable cursor, so a
 * pass may rely on what the ones before it saw (timewait learns the
 * listening ports before it groups). The dumps of consecutive passes with
 * fixed filters run at once; a pass whose filter is a function starts its
 * dumps after the passes before it are done. Within a pass the sockets come
 * in readSockDiag's order.
 */
export function visitSockDiagPasses(
  addon: DumpAddon,
  families: readonly Family[],
  passes: readonly DiagPass[],
  /** A network namespace to read (a path setns() can enter); absent: sockdoc's own. */
  netnsPath?: string,
): void {
  for (const { plan, passOf } of passStages(families, passes)) {
    for (const [dump, chunk] of dumpChunks(addon, plan, netnsPath))
      visitInetDiagCursor(chunk, passes[passOf[dump]!]!.visit);
  }
}

/** The dumps of one stage of passes, and the pass each dump feeds. */
export interface PassStage {
  plan: PlannedDump[];
  passOf: number[];
}

/**
 * The stages of visitSockDiagPasses: a pass and the following ones with
 * fixed filters. Lazy: a stage's filter functions are called only when the
 * caller asks for it, after it has visited the stages before.
 */
export function* passStages(
  families: readonly Family[],
  passes: readonly DiagPass[],
  /** Whether the addon tallies (InetDiagStream.tally): otherwise every socket is visited. */
  tallies = false,
): Generator<PassStage> {
  for (const [first, end] of stageBounds(passes)) yield planStage(families, passes, first, end, tallies);
}

/** Each stage as [first pass, end): a pass whose filter is a function starts a stage. */
export function stageBounds(passes: readonly DiagPass[]): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  let next = 0;
  while (next < passes.length) {
    const first = next;
    while (next < passes.length && (next === first || typeof passes[next]!.bytecode !== "function")) next++;
    bounds.push([first, next]);
  }
  return bounds;
}

/** A stage's dumps, with each pass's filter as it is now (a function is called here). */
export function planStage(
  families: readonly Family[],
  passes: readonly DiagPass[],
  first: number,
  end: number,
  tallies = false,
): PassStage & { programs: Array<Uint8Array | null | undefined> } {
  const plan: PlannedDump[] = [];
  const passOf: number[] = [];
  const programs: Array<Uint8Array | null | undefined> = [];
  for (let i = first; i < end; i++) {
    const pass = passes[i]!;
    const bytecode = typeof pass.bytecode === "function" ? pass.bytecode() : pass.bytecode;
    // A copy: a filter function may hand back the same array, changed since.
    programs.push(bytecode ? bytecode.slice() : bytecode);
    if (bytecode === null) continue;
    for (const dump of planDumps(pass.statesMask, families, bytecode, !pass.oneWalk)) {
      const tally = dumpTally(pass, dump, tallies);
      const lane = pass.lane ?? dump.lane;
      const iterator = pass.iterator && !bytecode ? { iterator: pass.iterator } : {};
      plan.push({ ...dump, lane, ...(tally ? { tally } : {}), ...iterator });
      passOf.push(i);
    }
  }
  return { plan, passOf, programs };
}
