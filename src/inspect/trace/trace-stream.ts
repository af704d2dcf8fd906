/**
 * @module The live stream behind `sockdoc trace` (and the watcher's exact
 * CLOSE_WAIT entries): changes from the kernel tracer, the filter applied
 * (a state term matches the new state), the time each socket spent in the
 * state it leaves, and owners looked up once per batch (~100 ms) rather
 * than once per change. Lost changes are counted, never dropped silently.
 */
import { bareSocket, type TcpSocket } from "../../model/socket.js";
import { StateClock } from "../../analysis/state-changes/state-clock.js";
import type { StateChange } from "../../sources/bpf/state-event.js";
import { openStateTracer, type StateTracer } from "../../sources/bpf/state-tracer.js";
import type { NativeAddon } from "../../sources/native.js";
import type { ProcFs } from "../../sources/procfs.js";
import { NamespaceDirectory } from "./namespace-directory.js";
import { type OwnerAnswer, OwnerLookup } from "./owner-lookup.js";

export interface TracedChange {
  change: StateChange;
  /** Wall clock, ms since the epoch. */
  timeMs: number;
  /** ms spent in oldState; null when the socket entered it before the trace started. */
  inOldStateMs: number | null;
  owner: OwnerAnswer;
  /** The namespace's `ip netns` name, or null. */
  netnsName: string | null;
}

export interface TraceStreamOptions {
  /** New states kept in the kernel, by bit (1 << state). */
  stateMask: number;
  /** The rest of the filter, on a socket-shaped view of each change (its new state); null keeps all. */
  matches: ((s: TcpSocket) => boolean) | null;
  /** One namespace (its inode), or 0 for every namespace. */
  netnsInode: number;
  proc: ProcFs;
  addon: NativeAddon;
  /** Look up owners (trace does; the watcher matches its own sockets instead). */
  owners: boolean;
  /** Each batch of matching changes, in kernel order. */
  onChanges: (changes: TracedChange[]) => void;
  /** The kernel dropped or skipped changes: how many since the last call, and in all. */
  onLost: (newly: number, total: number) => void;
  /** Time between owner lookups (ms). */
  batchMs?: number;
  /** A tracer already open instead of the kernel's (a test seam). */
  tracer?: StateTracer;
}

export interface TraceTotals {
  seen: number;
  matched: number;
  lost: number;
}

/** A socket-shaped view of a change for the filter: its new state, its endpoints. */
function filterView(c: StateChange): TcpSocket {
  return bareSocket(
    c.family,
    c.newState,
    { address: c.localAddress, port: c.localPort },
    { address: c.remoteAddress, port: c.remotePort },
  );
}

export class TraceStream {
  readonly tracer: StateTracer;
  private readonly clock = new StateClock();
  private readonly namespaces: NamespaceDirectory;
  private readonly owners: OwnerLookup;
  private queue: StateChange[] = [];
  private readonly totals: TraceTotals = { seen: 0, matched: 0, lost: 0 };
  private stopped = false;
  /** Owner lookups are kept to about a tenth of the time: none before this (ms, Date.now()). */
  private nextLookupAt = 0;
  private wake: (() => void) | null = null;

  /** Opens the tracer (throws PermissionError or TracerUnavailable). */
  constructor(private readonly opts: TraceStreamOptions) {
    this.tracer = opts.tracer ?? openStateTracer({ stateMask: opts.stateMask, netnsInode: opts.netnsInode });
    this.namespaces = new NamespaceDirectory(opts.proc);
    this.owners = new OwnerLookup(opts.proc, opts.addon, this.namespaces);
  }

  /** Ends the stream: the program is detached now; run() resolves after the last batch. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tracer.close();
    this.wake?.();
  }

  /** Runs until stop(); resolves with the totals. */
  async run(): Promise<TraceTotals> {
    // A failed read stops the stream and is thrown by run(), never left unhandled.
    let readError: unknown = null;
    const reading = this.read().catch((err: unknown) => {
      readError = err;
      this.stop();
    });
    const batchMs = this.opts.batchMs ?? 100;
    try {
      while (!this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, batchMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
        await this.flush();
      }
    } finally {
      // Also when a batch's handling threw: detach, and let the reader end.
      this.stop();
      await reading;
    }
    if (readError !== null) throw readError;
    await this.flush();
    return { ...this.totals };
  }

  private async read(): Promise<void> {
    for (;;) {
      const changes = await this.tracer.next();
      if (changes === null) return;
      for (const c of changes) this.queue.push(c);
    }
  }

  private checkLost(): void {
    const lost = this.tracer.lost();
    if (lost > this.totals.lost) {
      const newly = lost - this.totals.lost;
      this.totals.lost = lost;
      this.opts.onLost(newly, lost);
    }
  }

  private async flush(): Promise<void> {
    this.checkLost();
    if (this.queue.length === 0) return;
    // A lookup walks a namespace's sockets and every process's fds: on a busy host
    // the changes wait (they keep their kernel times) rather than lookups run back to back.
    if (this.opts.owners && !this.stopped && Date.now() < this.nextLookupAt) return;
    const batch = this.queue;
    this.queue = [];
    this.totals.seen += batch.length;
    const kept: StateChange[] = [];
    const spent: Array<number | null> = [];
    const { matches } = this.opts;
    for (const c of batch) {
      const inOld = this.clock.change(c.skaddr, c.oldState, c.newState, c.monotonicMs);
      if (matches !== null && !matches(filterView(c))) continue;
      kept.push(c);
      spent.push(inOld);
    }
    if (kept.length === 0) return;
    this.totals.matched += kept.length;
    let owners: OwnerAnswer[];
    if (this.opts.owners) {
      const started = Date.now();
      owners = await this.owners.resolve(kept);
      const took = Date.now() - started;
      this.nextLookupAt = Date.now() + 9 * took;
    } else {
      owners = kept.map(() => ({ owner: null, why: "no lookup" as const }));
    }
    const offset = this.tracer.wallOffsetMs;
    this.opts.onChanges(
      kept.map((change, i) => ({
        change,
        timeMs: change.monotonicMs + offset,
        inOldStateMs: spent[i]!,
        owner: owners[i]!,
        netnsName: this.namespaces.nameOf(change.netns),
      })),
    );
  }
}
