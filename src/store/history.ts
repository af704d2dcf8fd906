/**
 * @module The shapes `history` reports, read back from the rollups: each
 * CLOSE_WAIT group (first appeared, peak, last), TIME_WAIT peaks per
 * destination, state peaks and the events, over a time window.
 */

export interface HistoryCloseWait {
  netns: string | null;
  owner: { pid: number | null; comm: string | null; cmdline: string | null; unit: string | null };
  localPort: number | null;
  peerPort: number | null;
  cause: string;
  /** ms: first sight of its oldest socket (may precede the window). */
  firstSeen: number;
  /**
   * ms: when its oldest socket entered CLOSE_WAIT, when watch's BPF tracer
   * saw every CLOSE_WAIT socket of this process enter the state; null: the
   * group is at least as old as firstSeen.
   */
  enteredCloseWait: number | null;
  lastSeen: number;
  peak: number;
  /** Count at lastSeen. */
  last: number;
  /** Count at the namespace's latest sample: 0 when the group is gone. */
  now: number;
}

export interface HistoryTimeWait {
  netns: string | null;
  local: string;
  remote: string;
  peakCount: number;
  minPortsLeft: number | null;
  /** ms: when the peak was seen. */
  at: number;
}

export interface HistoryState {
  netns: string | null;
  state: string;
  peak: number;
  last: number;
}

export interface HistoryEvent {
  time: number;
  netns: string | null;
  kind: string;
  text: string;
}

/** One stretch of time an advisor finding held. */
export interface HistoryFinding {
  netns: string | null;
  /** The rule and case, e.g. "close-wait-leak". */
  id: string;
  severity: string;
  setting: string | null;
  current: string | null;
  recommended: string | null;
  /** The latest wording (its numbers move from sample to sample). */
  why: string;
  command: string | null;
  firstSeen: number;
  lastSeen: number;
  /** Still there at its namespace's latest sample. */
  present: boolean;
}

export interface History {
  /** ms; null when the db holds no sample. */
  from: number | null;
  to: number | null;
  /** The host the watcher ran on (meta), null when not recorded. */
  hostname: string | null;
  samples: number;
  closeWait: HistoryCloseWait[];
  timeWait: HistoryTimeWait[];
  states: HistoryState[];
  events: HistoryEvent[];
  /** Empty for a database written before findings were stored (schema 1). */
  findings: HistoryFinding[];
}
