/**
 * @module The sock_diag reads of sock-diag.ts without blocking the event
 * loop: the addon's lanes make the dumps on their own threads and every
 * chunk is awaited (InetDiagStream.nextAsync), so a server keeps answering
 * while a dump of a busy host runs. Same plans, same order, same sockets as
 * the synchronous functions; only the waiting differs. Decoding stays on the
 * JavaScript thread, one chunk (~4,500 sockets, a few ms) at a time.
 */
import type { Family } from "../model/endpoint.js";
import { InputError } from "../model/errors.js";
import type { TcpSocket } from "../model/socket.js";
import {
  type DiagPass,
  type DumpAddon,
  openStream,
  plainDumps,
  planDumps,
  type PlannedDump,
  planStage,
  stageBounds,
} from "./sock-diag.js";
import { EarlyDumps, samePrograms } from "./sock-diag/early-stage.js";
import { decodeInetDiagMessages } from "./sock-diag/decode.js";
import type { StateTally } from "../model/state-tally.js";
import { decodeTally } from "./sock-diag/tally.js";
import { type BriefVisitor, visitInetDiagCursor, visitInetDiagMessages } from "./sock-diag/visit.js";

let tallied = 0;

/** Sockets the addon tallied instead of handing them over, in this process so far. */
export function talliedSocketCount(): number {
  return tallied;
}

/** Whether the addon's stream tallies (an addon built before tallies hands every socket over). */
function addonTallies(addon: DumpAddon): boolean {
  return typeof addon.InetDiagStream?.prototype?.tally === "function";
}

/**
 * dumpChunks of sock-diag.ts, awaiting each chunk. An addon without a stream
 * (a test fake) dumps synchronously, one dump at a time; a stream without
 * nextAsync (never from this checkout's addon) falls back to next().
 */
async function* dumpChunksAsync(
  addon: DumpAddon,
  plan: readonly PlannedDump[],
  netnsPath?: string,
  /** Each dump's tally, once the dump is done (only dumps that asked for one). */
  onTally?: (dump: number, tally: StateTally) => void,
): AsyncGenerator<[number, Buffer]> {
  if (plan.length === 0) return;
  if (!addon.InetDiagStream) {
    yield* plainDumps(addon, plan, netnsPath);
    return;
  }
  const stream = openStream(addon as Required<DumpAddon>, plan, netnsPath);
  const next = (i: number): Promise<Buffer | null> =>
    typeof stream.nextAsync === "function" ? stream.nextAsync(i) : Promise.resolve(stream.next(i));
  try {
    for (let i = 0; i < plan.length; i++) {
      for (let chunk = await next(i); chunk !== null; chunk = await next(i)) yield [i, chunk];
      const words = plan[i]!.tally ? stream.tally?.(i) : null;
      // A dump that asked for a tally and ended without one lost its tallied sockets: say so.
      if (plan[i]!.tally && !words) throw new InputError("sock_diag: a dump ended without its tally");
      if (words) {
        const tally = decodeTally(words);
        for (const n of tally.states) tallied += n;
        onTally?.(i, tally);
      }
    }
  } finally {
    // Also when the caller stops early or a visitor throws: the lanes stop.
    stream.close();
  }
}

/**
 * readSockDiag without blocking the event loop: every TCP socket of these
 * families whose state bit is in statesMask, in the same order. Addon
 * errors (Node-style, with code/errno/syscall) reject the Promise.
 */
export async function readSockDiagAsync(
  addon: DumpAddon,
  statesMask: number,
  families: readonly Family[],
  /** A network namespace to read (a path setns() can enter); absent: sockdoc's own. */
  netnsPath?: string,
): Promise<TcpSocket[]> {
  const sockets: TcpSocket[] = [];
  for await (const [, chunk] of dumpChunksAsync(addon, planDumps(statesMask, families), netnsPath)) {
    for (const socket of decodeInetDiagMessages(chunk)) sockets.push(socket);
  }
  return sockets;
}

/** visitSockDiag without blocking the event loop: same sockets, same order. */
export async function visitSockDiagAsync(
  addon: DumpAddon,
  statesMask: number,
  families: readonly Family[],
  visit: BriefVisitor,
): Promise<void> {
  for await (const [, chunk] of dumpChunksAsync(addon, planDumps(statesMask, families))) {
    visitInetDiagMessages(chunk, visit);
  }
}

/** Chunks a stage started before its turn may hold waiting (its filter let this much through: not worth it). */
const EARLY_STAGE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * visitSockDiagPasses without blocking the event loop: the passes in order,
 * each socket through a reusable cursor (valid only during the call); a
 * pass whose filter is a function is planned after the passes before it
 * were visited. Visitors run on the JavaScript thread between awaits, so
 * they need no locking; the scope's state must not change under them from
 * elsewhere while the Promise is pending. Such a pass's dumps also start
 * early, beside the last dump before it, with its filter as it stands then;
 * they are visited only if the filter at its turn is the same (EarlyDumps).
 */
export async function visitSockDiagPassesAsync(
  addon: DumpAddon,
  families: readonly Family[],
  passes: readonly DiagPass[],
  /** A network namespace to read (a path setns() can enter); absent: sockdoc's own. */
  netnsPath?: string,
): Promise<void> {
  const tallies = addonTallies(addon);
  const bounds = stageBounds(passes);
  let early: { dumps: EarlyDumps; stage: ReturnType<typeof planStage> } | null = null;
  // Early dumps given up: their streams close as their pending read ends (a
  // filtered dump answers once, at the end of its walk), not waited for
  // before the dump made again; waited for before returning.
  const givingUp: Array<Promise<void>> = [];
  try {
    for (let s = 0; s < bounds.length; s++) {
      let stage = planStage(families, passes, bounds[s]![0], bounds[s]![1], tallies);
      let chunks: AsyncIterable<[number, Buffer]> | null = null;
      if (early) {
        const started = early;
        early = null;
        // A failed early dump is made again too: it ran beside others, and may not fail alone.
        if (started.dumps.usable() && samePrograms(started.stage.programs, stage.programs)) {
          stage = started.stage;
          chunks = started.dumps.adopt();
        } else givingUp.push(started.dumps.abandon());
      }
      const { plan, passOf } = stage;
      const onTally = (dump: number, tally: StateTally): void => passes[passOf[dump]!]!.tally?.take(tally);
      chunks ??= dumpChunksAsync(addon, plan, netnsPath, onTally);
      let following = s + 1 < bounds.length && addon.InetDiagStream ? bounds[s + 1]! : null;
      let settling: ReturnType<typeof planStage> | null = null;
      for await (const [dump, chunk] of chunks) {
        const pass = passes[passOf[dump]!]!;
        visitInetDiagCursor(chunk, plan[dump]!.tally && pass.tally ? pass.tally.visit : pass.visit);
        if (following && dump === plan.length - 1) {
          // Started once a chunk of the last dump left the next filter as it was:
          // the first chunks of a dump may show only some of what the rest will.
          const now = planStage(families, passes, following[0], following[1], tallies);
          if (now.plan.some((d) => d.tally))
            following = null; // a tally cannot be taken back: never early
          else if (settling && samePrograms(settling.programs, now.programs)) {
            early = startEarly(addon, now, netnsPath);
            if (early) following = null;
          }
          settling = now;
        }
      }
    }
  } finally {
    // A visitor threw, or a stage failed: the early stage's stream is closed too.
    if (early) givingUp.push(early.dumps.abandon());
    await Promise.all(givingUp);
  }
}

/** The next stage's dumps started now (the caller saw they are not tallied: a tally cannot be taken back); null for none. */
function startEarly(
  addon: DumpAddon,
  stage: ReturnType<typeof planStage>,
  netnsPath: string | undefined,
): { dumps: EarlyDumps; stage: ReturnType<typeof planStage> } | null {
  if (stage.plan.length === 0) return null;
  return {
    dumps: new EarlyDumps(dumpChunksAsync(addon, stage.plan, netnsPath), EARLY_STAGE_MAX_BYTES),
    stage,
  };
}
