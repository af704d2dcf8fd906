/**
 * @module One read of a scope's sockets for every collector at once: three
 * kernel dumps at most (LISTEN, TIME_WAIT, the other states; a fourth when
 * timewait's early dump of the other states had to be made again), streamed
 * through a cursor, or the records of /proc or a capture through the same
 * cursor interface. LISTEN sockets come first, so an analysis that must know
 * every listening port before the rest (timewait) can rely on it.
 */
import { InputError, UsageError } from "../model/errors.js";
import type { SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";
import { stateBit, TcpState } from "../model/tcp-state.js";
import { loadNative } from "../sources/native.js";
import { readSockstat, type SockstatTcp } from "../sources/counters.js";
import { readProcNetTcp } from "../sources/proc-net-tcp.js";
import type { DiagPass } from "../sources/sock-diag.js";
import { visitSockDiagPassesAsync } from "../sources/sock-diag-async.js";
import { dropTcpIterator, tcpIterator } from "../sources/sock-diag/tcp-iterator.js";
import { asError, dispatcher, type Running } from "./dispatch.js";
import { PackedSockets } from "./packed-sockets.js";
import { RecordCursor } from "./record-cursor.js";
import { ProcFs } from "../sources/procfs.js";
import type { CaptureScope, HostScope, NetnsTarget } from "./scope.js";

const LISTEN = stateBit(TcpState.LISTEN);
const TIME_WAIT = stateBit(TcpState.TIME_WAIT);

export const NETLINK_SOURCE: SourceInfo = { kind: "netlink", detail: "netlink sock_diag" };

export interface SocketsRead {
  source: SourceInfo;
  warnings: string[];
  /** Why the BPF tcp iterator did not read a pass it could have read (for --debug). */
  note?: string;
}

/** Where the sockets came from when the BPF tcp iterator read some (all but LISTEN, or only some passes). */
function viaIterator(all: boolean): SourceInfo {
  return {
    kind: "netlink",
    detail: all
      ? "the BPF tcp iterator (LISTEN by netlink sock_diag)"
      : "netlink sock_diag and the BPF tcp iterator",
  };
}

/**
 * Why the BPF tcp iterator may not read a pass, or null when it may: it
 * never reads LISTEN (netlink walks only the listeners for those, and
 * listeners read their queues) or a kernel-filtered pass, and reads a pass
 * only when every collector of its states reads nothing but endpoints.
 */
export function iteratorCannotRead(pass: DiagPass, running: readonly Running[]): string | null {
  if (pass.statesMask & LISTEN) return "LISTEN";
  if (pass.bytecode !== undefined) return "a kernel filter";
  const more = running.filter(
    (r) =>
      r.collector !== null &&
      (r.analysis.needs.states & pass.statesMask) !== 0 &&
      r.analysis.needs.fields !== "endpoints",
  );
  return more.length === 0 ? null : `${more.map((r) => r.analysis.name).join(", ")} read more than endpoints`;
}

export const iteratorMayRead = (pass: DiagPass, running: readonly Running[]): boolean =>
  iteratorCannotRead(pass, running) === null;

interface IteratorPlan {
  passes: DiagPass[];
  /** The iterator reads some passes; all: every pass but LISTEN. */
  used: boolean;
  all: boolean;
  /** Why not, when it could have read or the scope is read again and again (for --debug). */
  note?: string;
}

/** The passes with the BPF tcp iterator given to those it may read (see tcp-iterator.ts for when it loads). */
function withTcpIterator(scope: HostScope, running: readonly Running[], passes: DiagPass[]): IteratorPlan {
  const others = passes.filter((p) => (p.statesMask & LISTEN) === 0);
  const whyNot = others.map((p) => iteratorCannotRead(p, running));
  const readable = others.filter((_, i) => whyNot[i] === null);
  const none = { passes, used: false, all: false };
  if (readable.length === 0) {
    // A scope read again and again would have used it: say what stood in the way.
    const blocked = whyNot.find((why) => why !== null);
    return scope.oneWalk && blocked ? { ...none, note: blocked } : none;
  }
  const { addon } = loadNative();
  if (!addon) return none;
  const { iterator, why } = tcpIterator(addon, scope.oneWalk === true);
  if (!iterator) return { ...none, ...(why ? { note: why } : {}) };
  return {
    passes: passes.map((p) => (readable.includes(p) ? { ...p, iterator } : p)),
    used: true,
    all: readable.length === others.length,
  };
}

/**
 * The scope's passes through netlink (and the BPF tcp iterator where it
 * may read them): null once visited, else why not. When a read through the
 * iterator fails, the collectors start over (restart()) and netlink reads
 * the passes planned anew (replan(): their visitors are the new
 * collectors'); only if that succeeds was the fault the iterator's, and it
 * is dropped for the process (a namespace gone meanwhile fails both ways
 * and keeps it).
 */
async function readPasses(
  scope: HostScope,
  running: readonly Running[],
  passes: DiagPass[],
  replan: () => DiagPass[],
  restart: () => void,
  netnsPath?: string,
): Promise<{ failed: string | null; source: SourceInfo | null; note?: string }> {
  const chosen = withTcpIterator(scope, running, passes);
  const note = chosen.note ? { note: chosen.note } : {};
  if (!chosen.used)
    return { failed: await tryNetlink(scope, chosen.passes, netnsPath), source: null, ...note };
  let failed: string | null;
  try {
    failed = await tryNetlink(scope, chosen.passes, netnsPath);
  } catch (err) {
    // A bug on the iterator's side (tryNetlink lets those through): netlink is tried as below.
    failed = (err as Error).message;
  }
  if (failed === null) return { failed, source: viaIterator(chosen.all) };
  restart();
  const again = await tryNetlink(scope, replan(), netnsPath);
  if (again !== null) return { failed: again, source: null };
  return { failed: null, source: null, note: dropTcpIterator(failed) };
}

/**
 * The passes of a read: LISTEN, TIME_WAIT, then the rest, each only when some
 * collector wants it. oneWalk: TIME_WAIT with the rest, in one dump. Every
 * dump of the established table walks all of it, every namespace's sockets
 * included; in one big namespace, TIME_WAIT on a thread of its own pays, in
 * many small ones a walk each does not. (LISTEN alone walks only the
 * listeners.)
 */
export function planPasses(running: readonly Running[], statesMask: number, oneWalk = false): DiagPass[] {
  const passes: DiagPass[] = [];
  const groups = oneWalk
    ? [LISTEN, statesMask & ~LISTEN]
    : [LISTEN, TIME_WAIT, statesMask & ~LISTEN & ~TIME_WAIT];
  for (const mask of groups) {
    if ((statesMask & mask) === 0) continue;
    const pass = planPass(running, statesMask & mask, oneWalk);
    if (pass === null) continue;
    // A kernel filter for the other states cannot apply to a pass that holds TIME_WAIT too.
    if (!oneWalk && mask !== LISTEN && mask !== TIME_WAIT) {
      // One collector alone on these states may narrow them in the kernel (timewait).
      const wanting = running.filter((r) => r.collector && (r.analysis.needs.states & mask) !== 0);
      const only = wanting.length === 1 ? wanting[0]!.collector : null;
      if (only?.narrowOthers) pass.bytecode = () => only.narrowOthers!();
    }
    passes.push(pass);
  }
  return passes;
}

function planPass(running: readonly Running[], mask: number, oneWalk: boolean): DiagPass | null {
  const visit = dispatcher(running, mask);
  if (visit === null) return null;
  const tally = passTally(running, mask);
  return { statesMask: mask, visit, ...(oneWalk ? { oneWalk } : {}), ...(tally ? { tally } : {}) };
}

const ESTABLISHED_OR_CLOSE_WAIT = stateBit(TcpState.ESTABLISHED) | stateBit(TcpState.CLOSE_WAIT);

/**
 * The kernel fills a dump in the thread that reads it, and the TIME_WAIT and
 * other-states dumps run on two lanes; the longer one sets the read's time.
 * When nobody needs TIME_WAIT before the rest (both passes are wholly
 * tallied: only counts are wanted), the states no process holds any more
 * (FIN_WAIT, LAST_ACK, CLOSING: sockstat's orphans) may go beside TIME_WAIT
 * instead, in one dump, if sockstat says that shortens the longer lane (a
 * TIME_WAIT socket costs the kernel about half a full one). Still three dumps.
 */
export function balancedPasses(
  running: readonly Running[],
  passes: DiagPass[],
  sizes: () => SockstatTcp | null,
): DiagPass[] {
  const tw = passes.findIndex((p) => p.statesMask === TIME_WAIT);
  const rest = tw >= 0 ? tw + 1 : -1;
  const whollyTallied = (p: DiagPass | undefined): boolean =>
    p !== undefined && p.bytecode === undefined && p.tally?.states === p.statesMask && !p.tally.keep;
  if (tw < 0 || !whollyTallied(passes[tw]) || !whollyTallied(passes[rest])) return passes;
  const minor = passes[rest]!.statesMask & ~ESTABLISHED_OR_CLOSE_WAIT;
  const held = passes[rest]!.statesMask & ESTABLISHED_OR_CLOSE_WAIT;
  const s = sizes();
  if (minor === 0 || held === 0 || !s || s.inuse === null || s.orphan === null || s.tw === null)
    return passes;
  const now = Math.max(s.inuse, s.tw / 2);
  const moved = Math.max(s.inuse - s.orphan, s.tw / 2 + s.orphan);
  if (moved >= now) return passes;
  const besideTimeWait = planPass(running, TIME_WAIT | minor, true);
  const heldPass = planPass(running, held, false);
  if (!besideTimeWait || !heldPass) return passes;
  return [...passes.slice(0, tw), { ...besideTimeWait, lane: 1 }, { ...heldPass, lane: 0 }];
}

/**
 * The states of a pass that every collector wanting them takes as a tally
 * (Needs.tally) or wants only from a range of local ports
 * (Collector.localPortsWanted: the addon hands those over too), and the
 * collectors to give the tally to; undefined when there are none. Detail
 * (ports, addresses) when any of them asks for it.
 */
export function passTally(running: readonly Running[], passMask: number): DiagPass["tally"] {
  const live = running.filter((r) => r.collector !== null && (r.analysis.needs.states & passMask) !== 0);
  let states = passMask;
  let keep: [number, number] | undefined;
  for (const r of live) {
    const taken = r.analysis.needs.tally?.states ?? 0;
    const wanted = r.analysis.needs.states & ~taken;
    if ((wanted & states) === 0) continue;
    // LISTEN and TIME_WAIT are wanted whole (localPortsWanted is about the others).
    states &= ~(wanted & (LISTEN | TIME_WAIT));
    const ports = r.collector!.localPortsWanted?.();
    if (!ports) {
      states &= ~wanted;
      continue;
    }
    keep = keep ? [Math.min(keep[0], ports[0]), Math.max(keep[1], ports[1])] : [ports[0], ports[1]];
  }
  const takers = live.filter((r) => (r.analysis.needs.tally?.states ?? 0) & states);
  if (states === 0 || takers.length === 0) return undefined;
  return {
    states,
    detail: takers.some((r) => r.analysis.needs.tally!.detail),
    ...(keep ? { keep } : {}),
    visit: dispatcher(running, passMask, states) ?? (() => {}),
    take: (tally) => {
      for (const r of takers) {
        if (r.error !== null) continue;
        try {
          r.collector!.addTally!(tally);
        } catch (err) {
          r.error = asError(err);
        }
      }
    },
  };
}

/**
 * Feeds records in their own order (what `ls` prints of /proc or a capture
 * stays in that order), except that collectors that must see every LISTEN
 * socket first get those before the rest.
 */
export function feedRecords(
  sockets: readonly TcpSocket[],
  running: readonly Running[],
  statesMask: number,
): void {
  const first = running.filter((r) => r.analysis.needs.listenFirst);
  const inOrder = dispatcher(
    running.filter((r) => !r.analysis.needs.listenFirst),
    statesMask,
  );
  const afterListen = dispatcher(first, statesMask);
  const cursor = new RecordCursor();
  if (afterListen && statesMask & LISTEN) {
    for (const s of sockets) if (s.state === TcpState.LISTEN) afterListen(cursor.at(s));
  }
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i]!;
    if ((statesMask & stateBit(s.state)) === 0) continue;
    inOrder?.(cursor.at(s));
    if (afterListen && s.state !== TcpState.LISTEN) afterListen(cursor.at(s));
  }
}

/**
 * A capture's sockets of the wanted families and states, fed as the capture
 * hands them over (a streamed capture's rows as they are parsed). Collectors
 * that must see every LISTEN socket first (timewait) get them as they come
 * while the LISTEN rows come first, as netstat and ss print them; a LISTEN
 * row after the others (captures pasted together) starts those collectors
 * over (restartFirst) on a second read of a file, LISTEN rows first. Stdin
 * cannot be read again: there, the other rows they want are kept, packed,
 * until the end.
 */
export function readCaptureSockets(
  scope: CaptureScope,
  running: readonly Running[],
  statesMask: number,
  restartFirst: () => void = () => {},
): SocketsRead {
  const first = running.filter((r) => r.analysis.needs.listenFirst);
  const inOrder = dispatcher(
    running.filter((r) => !r.analysis.needs.listenFirst),
    statesMask,
  );
  const afterListen = dispatcher(first, statesMask);
  let firstStates = 0;
  for (const r of first) firstStates |= r.analysis.needs.states;
  const { capture, families } = scope;
  const wanted = (s: TcpSocket) => (statesMask & stateBit(s.state)) !== 0 && families.includes(s.family);
  // Kept packed (about 45 bytes a row instead of a record's 200).
  const held = new PackedSockets();
  const hold = !capture.rereadable;
  let fedOthers = false;
  let late = false;
  const cursor = new RecordCursor();
  capture.eachSocket((s) => {
    if (!wanted(s)) return;
    inOrder?.(cursor.at(s));
    if (afterListen === null || late) return;
    if (s.state === TcpState.LISTEN) {
      if (fedOthers) late = true;
      else afterListen(cursor.at(s));
    } else if (firstStates & stateBit(s.state)) {
      if (hold) held.add(cursor.at(s));
      else {
        fedOthers = true;
        afterListen(cursor.at(s));
      }
    }
  });
  for (let i = 0; i < held.count; i++) afterListen!(cursor.at(held.get(i)));
  if (late) {
    restartFirst();
    capture.eachSocket((s) => {
      if (s.state === TcpState.LISTEN && wanted(s)) afterListen!(cursor.at(s));
    });
    capture.eachSocket((s) => {
      if (s.state !== TcpState.LISTEN && wanted(s)) afterListen!(cursor.at(s));
    });
  }
  return { source: capture.source, warnings: [...capture.warnings] };
}

function readProc(scope: HostScope, statesMask: number, running: readonly Running[]): SocketsRead {
  let read: { sockets: TcpSocket[]; warnings: string[] };
  try {
    read = readProcNetTcp(scope.proc, scope.families, statesMask);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot read ${scope.proc.path("net", "tcp")}: ${e.code ?? e.message}`, {
      cause: err,
    });
  }
  feedRecords(read.sockets, running, statesMask);
  return {
    source: { kind: "proc", detail: `${scope.proc.path("net", "tcp")}{,6}` },
    warnings: read.warnings,
  };
}

/**
 * netlink's reason for not being usable, or null once every pass was
 * visited. On a failure part way, collectors may have seen some sockets:
 * the caller starts them over.
 */
async function tryNetlink(
  scope: HostScope,
  passes: readonly DiagPass[],
  netnsPath?: string,
): Promise<string | null> {
  const { addon, error } = loadNative();
  if (!addon) return error ?? "native addon unavailable";
  try {
    // The kernel fills the chunks on the addon's threads; the event loop stays free meanwhile.
    await visitSockDiagPassesAsync(addon, scope.families, passes, netnsPath);
    return null;
  } catch (err) {
    // Anything but a failed syscall or a bad reply is a bug: let it surface.
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof InputError) && typeof e.syscall !== "string") throw err;
    // The BPF tcp iterator's own calls name themselves ("read(bpf tcp iterator)").
    const what = e.syscall?.includes("bpf") ? e.syscall : "netlink sock_diag";
    return `${what} failed (${e.code ?? e.message})`;
  }
}

/**
 * Another namespace's sockets: netlink from inside it (the addon makes its
 * socket there), else /proc/PID/net/tcp of a process in it (that file lists
 * the namespace of PID), with a warning saying why.
 */
async function readInside(
  scope: HostScope,
  inside: NetnsTarget,
  statesMask: number,
  running: readonly Running[],
  restart: () => void,
): Promise<SocketsRead> {
  let failed: string | null = null;
  if (scope.source !== "proc") {
    const plan = () => planPasses(running, statesMask, true);
    const read = await readPasses(scope, running, plan(), plan, restart, inside.path);
    failed = read.failed;
    if (failed === null) {
      const by = read.source?.detail ?? "netlink sock_diag";
      return {
        source: { kind: "netlink", detail: `${by} in ${inside.path}` },
        warnings: [],
        ...(read.note ? { note: read.note } : {}),
      };
    }
    if (scope.source === "netlink") throw new InputError(`${inside.path}: ${failed}`);
    restart();
  }
  const pid = inside.pids[0];
  if (pid === undefined) {
    throw new InputError(
      `cannot read ${inside.path}: ${failed ?? "--source proc"}, and no process in it has a /proc/PID/net`,
    );
  }
  const read = readProc({ ...scope, proc: new ProcFs(scope.proc.path(pid)) }, statesMask, running);
  if (failed) read.warnings.unshift(`${inside.path}: ${failed}; read /proc/${pid}/net/tcp instead`);
  return read;
}

/**
 * Reads the host's sockets into the passes: netlink unless /proc is asked
 * for (or implied by a fixture --proc-root); /proc when netlink cannot be
 * used, after restart() gave fresh passes, with a warning saying why.
 */
export async function readHostSockets(
  scope: HostScope,
  statesMask: number,
  running: readonly Running[],
  restart: () => void,
): Promise<SocketsRead> {
  const passes = planPasses(running, statesMask, scope.oneWalk === true);
  if (statesMask === 0 || passes.length === 0) {
    return { source: { kind: "netlink", detail: "none (empty state set)" }, warnings: [] };
  }
  const inside = scope.netns && !scope.netns.own ? scope.netns : null;
  if (inside) return readInside(scope, inside, statesMask, running, restart);
  // netlink sees the live kernel, so a fixture --proc-root implies the /proc source.
  const fakeRoot = scope.proc.root !== "/proc";
  if (scope.source === "proc" || (scope.source === "auto" && fakeRoot))
    return readProc(scope, statesMask, running);
  if (scope.source === "netlink" && fakeRoot) {
    throw new UsageError("--source netlink reads the live kernel and cannot be combined with --proc-root");
  }
  // The scope's sockstat, read only when the lanes may be balanced.
  const sizes = (): SockstatTcp | null => readSockstat(scope.proc)?.tcp ?? null;
  const replan = () =>
    balancedPasses(running, planPasses(running, statesMask, scope.oneWalk === true), sizes);
  const read = await readPasses(scope, running, balancedPasses(running, passes, sizes), replan, restart);
  const failed = read.failed;
  if (failed === null)
    return {
      source: read.source ?? NETLINK_SOURCE,
      warnings: [],
      ...(read.note ? { note: read.note } : {}),
    };
  if (scope.source === "netlink") throw new InputError(failed);
  restart();
  const viaProc = readProc(scope, statesMask, running);
  viaProc.warnings.unshift(`${failed}; read /proc/net/tcp instead (slower, no socket cookies)`);
  return viaProc;
}
