/**
 * @module watch's exact CLOSE_WAIT ages: a BPF tracer (inspect/trace) kept
 * running beside the sampler records the moment each socket enters
 * CLOSE_WAIT (and forgets it when it leaves) in the history database, and
 * each sample marks its sockets' rows with that moment. Without BPF, root
 * or the tracepoint it says so once and the ages stay the sampler's lower
 * bounds.
 */
import type Database from "better-sqlite3";
import { socketKey } from "../../analysis/close-wait/tracker.js";
import { TraceStream, type TracedChange } from "../../inspect/trace/trace-stream.js";
import { SockdocError } from "../../model/errors.js";
import type { TcpSocket } from "../../model/socket.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { loadNative } from "../../sources/native.js";
import type { ProcFs } from "../../sources/procfs.js";
import { CloseWaitEntryWriter, type EntryChange, tupleText } from "../../store/close-wait-entries.js";
import { guarded } from "../../store/open.js";

/** Entering CLOSE_WAIT, and its two ways out (close(): LAST_ACK; a reset: CLOSE). */
const MASK = stateBit(TcpState.CLOSE_WAIT) | stateBit(TcpState.LAST_ACK) | stateBit(TcpState.CLOSE);
const HEARTBEAT_MS = 5000;

function entryChanges(changes: readonly TracedChange[]): EntryChange[] {
  const out: EntryChange[] = [];
  for (const { change: c, timeMs } of changes) {
    const entering = c.newState === TcpState.CLOSE_WAIT;
    if (!entering && c.oldState !== TcpState.CLOSE_WAIT) continue;
    const tuple = tupleText(c.family, c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
    out.push({ netns: c.netns, tuple, entered: entering ? timeMs : null });
  }
  return out;
}

export interface ExactAges {
  /** Marks the sampled CLOSE_WAIT sockets of one namespace (its inode, its tracker prefix) that have an entry. */
  markSampled(
    netnsInode: number,
    trackerScope: string,
    partition: string,
    sockets: readonly TcpSocket[],
  ): void;
  /** Throws the database error a write between samples met (the watch ends with it, as for a sample's). */
  check(): void;
  stop(): Promise<void>;
}

/**
 * Starts the tracer for the namespace netnsInode (0: all); null, after one
 * warning, when it cannot run here.
 */
export function startExactAges(
  db: Database.Database,
  file: string,
  proc: ProcFs,
  netnsInode: number,
  warn: (line: string) => void,
): ExactAges | null {
  const { addon, error } = loadNative();
  if (!addon) {
    warn(`exact CLOSE_WAIT ages are off (no native addon: ${error}); ages are from sampling, at least`);
    return null;
  }
  const writer = new CloseWaitEntryWriter(db);
  const live = new Map<string, number>();
  // Writes between samples run in callbacks: their first error is kept for the watch loop.
  let failure: unknown = null;
  const write = (fn: () => void) => {
    if (failure !== null) return;
    try {
      guarded(file, fn);
    } catch (err) {
      failure = err;
    }
  };
  let stream: TraceStream;
  try {
    stream = new TraceStream({
      stateMask: MASK,
      matches: null,
      netnsInode,
      proc,
      addon,
      owners: false,
      onChanges: (changes) => {
        const entries = entryChanges(changes);
        for (const e of entries) {
          const key = `${e.netns} ${e.tuple}`;
          if (e.entered === null) live.delete(key);
          else live.set(key, e.entered);
        }
        write(() => writer.apply(entries, Date.now()));
      },
      onLost: (newly) =>
        warn(
          `${newly} CLOSE_WAIT changes lost by the tracer (ring buffer full, or nested on a CPU); those ages stay "at least"`,
        ),
    });
  } catch (err) {
    if (!(err instanceof SockdocError)) throw err;
    warn(`exact CLOSE_WAIT ages are off (${err.message}); ages are from sampling, at least`);
    return null;
  }
  try {
    guarded(file, () => writer.start(process.pid, Date.now()));
  } catch (err) {
    stream.stop();
    throw err;
  }
  // A tracer that fails while the watch runs leaves the ages to sampling, with one warning.
  const running = stream.run().catch((err: unknown) => {
    live.clear();
    write(() => writer.stop());
    warn(
      `exact CLOSE_WAIT ages stopped (${(err as Error).message}); ages are from sampling from now, at least`,
    );
  });
  const heartbeat = setInterval(() => write(() => writer.apply([], Date.now())), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    markSampled(inode, trackerScope, partition, sockets) {
      const rows: Array<{ scope: string; key: string; entered: number }> = [];
      for (const s of sockets) {
        if (s.state !== TcpState.CLOSE_WAIT) continue;
        const tuple = tupleText(s.family, s.local.address, s.local.port, s.remote.address, s.remote.port);
        const entered = live.get(`${inode} ${tuple}`);
        if (entered !== undefined)
          rows.push({ scope: partition, key: `${trackerScope}/${socketKey(s)}`, entered });
      }
      if (rows.length > 0) guarded(file, () => writer.markSampled(rows));
    },
    check() {
      if (failure !== null) throw failure;
    },
    async stop() {
      clearInterval(heartbeat);
      stream.stop();
      await running;
      // On a full or broken database this fails too; readers then find the tracer's pid gone.
      write(() => writer.stop());
    },
  };
}
