/**
 * @module What the advisor reads and says: the facts of one host (kernel,
 * running sysctls, counters, optional socket counts and config lines) and
 * findings {id, severity, setting, current, recommended, why, command}.
 */
import type { Severity } from "../../model/severity.js";

export interface Finding {
  /** Stable id of the rule and case, e.g. "tw-reuse-pressure". */
  id: string;
  severity: Severity;
  /** The sysctl concerned; null when no setting applies (CLOSE_WAIT). */
  setting: string | null;
  /** Its running value; null when the kernel lacks it or it was not read. */
  current: string | null;
  /** The value to set; null when the advice is not a value. */
  recommended: string | null;
  why: string;
  /** The exact command to run next (a dry run: it shows before it writes); null when none. */
  command: string | null;
}

/** The outgoing destination closest to running out of ports (analysis/time-wait). */
export interface OutgoingPressure {
  /** "10.0.0.5 -> 10.0.0.9:5432" */
  destination: string;
  severity: Severity;
  portsInUse: number;
  budget: number;
  ratePerSec: number | null;
  sustainablePerSec: number;
}

export interface Listener {
  /** "0.0.0.0:8080" */
  local: string;
  /** The backlog the kernel applies (min of listen()'s and somaxconn). */
  backlog: number;
  /** Connections waiting in the accept queue now. */
  queued: number;
}

/** Facts from the sockets; each is optional: a rule that needs one it lacks says nothing. */
export interface AdvisorFacts {
  timeWait?: number;
  /** TIME_WAIT sockets of connections this host opened. */
  outgoingTimeWait?: number;
  closeWait?: number;
  /** The worst outgoing destination, or null when there is none. */
  worstOutgoing?: OutgoingPressure | null;
  listeners?: readonly Listener[];
}

/** One assignment in a sysctl config file. */
export interface ConfigLine {
  key: string;
  value: string;
  file: string;
  line: number;
  ignoreErrors: boolean;
}

export interface AdvisorInput {
  /** Kernel release, e.g. "6.1.0-18-amd64"; null when unknown. */
  kernel: string | null;
  /** Running values by dotted name. */
  sysctls: Readonly<Record<string, string>>;
  /** Names the kernel does not have. */
  missing: readonly string[];
  /** "TcpExt.TCPTimeWaitOverflow" -> n; null when unknown (a capture). */
  counters: Readonly<Record<string, number>> | null;
  facts: AdvisorFacts;
  /** Assignments in the config files; undefined when they were not read. */
  config?: readonly ConfigLine[];
}

export type Rule = (input: AdvisorInput) => Finding[];
