/**
 * @module One read of a scope's sockets for every collector at once: at
 * most three kernel dumps (LISTEN, TIME_WAIT, the other states), streamed
 * through a cursor, or the records of /proc or a capture through the same
 * cursor interface. LISTEN sockets come first, so an analysis that must know
 * every listening port before the rest (timewait) can rely on it.
 */
import { InputError, UsageError } from "../model/errors.js";
import type { SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";
import { stateBit, TcpState } from "../model/tcp-state.js";
import { loadNative } from "../sources/native.js";
import { readProcNetTcp } from "../sources/proc-net-tcp.js";
import type { DiagPass } from "../sources/sock-diag.js";
import { visitSockDiagPassesAsync } from "../sources/sock-diag-async.js";
import { dispatcher, type Running } from "./dispatch.js";
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
    const visit = dispatcher(running, statesMask & mask);
    if (visit === null) continue;
    const pass: DiagPass = { statesMask: statesMask & mask, visit, ...(oneWalk ? { oneWalk } : {}) };
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
    return `netlink sock_diag failed (${e.code ?? e.message})`;
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
    failed = await tryNetlink(scope, planPasses(running, statesMask, true), inside.path);
    if (failed === null)
      return { source: { kind: "netlink", detail: `netlink sock_diag in ${inside.path}` }, warnings: [] };
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
  const passes = planPasses(running, statesMask);
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
  const failed = await tryNetlink(scope, passes);
  if (failed === null) return { source: NETLINK_SOURCE, warnings: [] };
  if (scope.source === "netlink") throw new InputError(failed);
  restart();
  const viaProc = readProc(scope, statesMask, running);
  viaProc.warnings.unshift(`${failed}; read /proc/net/tcp instead (slower, no socket cookies)`);
  return viaProc;
}
