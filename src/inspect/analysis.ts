/**
 * @module What an analysis is to the inspection layer: what it needs read
 * about a scope, and a collector that sees each socket of its states once,
 * in one shared read, then builds its result from what was gathered.
 */
import type { ProcessFacts } from "../analysis/close-wait/types.js";
import type { HostFacts, SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";
import type { Counters, Sockstat } from "../sources/counters.js";
import type { OwnerLookup, OwnersVia } from "../sources/owners.js";
import type { SocketCursor, StateTally } from "../sources/sock-diag.js";
import type { SysctlRead } from "../sources/sysctl.js";

export interface Needs {
  /** Kernel state bits (tcp-state.ts stateBit) of the sockets the collector sees. */
  states: number;
  /** Every LISTEN socket before any other (timewait: bound ports are never ephemeral). */
  listenFirst?: boolean;
  /** Sysctls (dotted names) read from the scope before any socket. */
  sysctls?: readonly string[];
  /** Kernel counters (/proc/net/netstat, snmp, sockstat) of the scope. */
  counters?: boolean;
  /** Owners (pid, comm, fd) of the records the collector keeps. */
  owners?: boolean;
  /** Facts about those owners' processes (command line, limits; threads when asked). */
  processes?: { threads: boolean };
  /**
   * States whose sockets this analysis can take as a tally (counts per state,
   * and per local port and remote address with detail) instead of one by
   * one; the collector then has addTally. Read from netlink, sockets of a
   * state every collector that wants it takes as a tally never reach
   * JavaScript; from /proc or a capture they all come through add().
   */
  tally?: { states: number; detail: boolean };
  /**
   * "endpoints": of each socket the collector reads only its state, family,
   * addresses and ports, and the timer of a TIME_WAIT or request socket
   * (SocketCursor's state, family, local/remote address and port,
   * timerKind, expiresMs). A pass whose every collector says so may be read
   * by the BPF tcp iterator, which fills no more. Absent: any field.
   */
  fields?: "endpoints";
}

/** What is known of a scope before its sockets are read. */
export interface ScopeFacts {
  host: HostFacts;
  sysctls: SysctlRead;
  /** null when not asked for or not readable. */
  counters: Counters | null;
  /** /proc/net/sockstat, read with the counters; null when not asked for, unreadable, or a capture. */
  sockstat: Sockstat | null;
  /** Where the sockets come from; known once they were read. */
  source: SourceInfo;
  /** When the sockets were read (a capture's own time where it has one). */
  takenAt: number;
  /**
   * The network namespace the sockets were read in ("net:[INODE]"), which
   * makes a socket cookie unique; null for a capture.
   */
  netns: string | null;
  /** Whether the sysctls describe the scope (false: a capture without them). */
  sysctlsKnown: boolean;
}

/** What the read gathered beyond the sockets, for the collectors' results. */
export interface Gathered {
  facts: ScopeFacts;
  /** Whether owners were looked up (so owners: [] means "none found"). */
  ownersResolved: boolean;
  /** Processes whose fds could not be read (other users' when not root). */
  deniedCount: number;
  /** How the owners were found (the BPF fd iterator or a /proc walk); null when not looked up. */
  ownersVia: OwnersVia | null;
  /** Why the BPF fd iterator did not serve, when it could have been tried (for --debug). */
  ownersNote: string | null;
  /** Owners of every inode looked up (records' and ownerInodes'); empty when owners were not looked up. */
  ownersByInode: OwnerLookup;
  processes: ReadonlyMap<number, ProcessFacts>;
  /** uid -> user name. */
  users: ReadonlyMap<number, string>;
  /** Owners whose executable is a Go binary (Go is not recognisable by name). */
  goBinaries: ReadonlySet<number>;
}

export interface Collector<R> {
  /** One socket of the needed states; the cursor is valid only during the call. */
  add(s: SocketCursor): void;
  /** Sockets of needs.tally's states that add() did not see, counted (see Needs.tally). */
  addTally?(tally: StateTally): void;
  /**
   * A kernel filter for the sockets of states other than LISTEN and TIME_WAIT,
   * asked once LISTEN and TIME_WAIT were seen; only used when this collector
   * is the only one that wants those states. null: none of them is wanted.
   * Absent: every one is.
   */
  narrowOthers?(): Uint8Array | null;
  /**
   * The local ports [low, high] outside of which this collector needs no
   * socket of its states beyond LISTEN and TIME_WAIT (timewait: the ephemeral
   * range). Lets the addon tally the rest for the collectors that only count.
   */
  localPortsWanted?(): readonly [number, number] | null;
  /** The records whose owners (and processes) are wanted, once every socket was seen. */
  records?(): readonly TcpSocket[];
  /**
   * Inodes whose owners are wanted without a record (a collector that keeps
   * only printed rows); their owners come in gathered.ownersByInode.
   */
  ownerInodes?(): Iterable<number>;
  finish(gathered: Gathered): R;
}

export interface Analysis<R> {
  /** Names the analysis in results, logs and the exporter's collector label. */
  readonly name: string;
  readonly needs: Needs;
  /** A collector for one read of a scope. */
  start(facts: ScopeFacts): Collector<R>;
}

/** One analysis's outcome, as node_exporter reports each collector. */
export type Outcome<R> =
  { ok: true; value: R; durationMs: number } | { ok: false; error: Error; durationMs: number };
