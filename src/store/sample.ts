/**
 * @module One namespace's sample as the store takes it: plain data built from
 * an inspection (summary, CLOSE_WAIT report, TIME_WAIT report, sysctls), so
 * the row mapping and the event detector are pure and testable without I/O.
 */
import type { Finding } from "../analysis/advisor/types.js";
import type { Severity } from "../model/severity.js";

export interface CloseWaitGroupSample {
  /** null: no owning process (not accepted yet, or not readable). */
  pid: number | null;
  comm: string | null;
  cmdline: string | null;
  /** systemd unit or "container:ID". */
  unit: string | null;
  /** Incoming: the server port; null for outgoing. */
  localPort: number | null;
  /** Outgoing: the remote service port; null for incoming. */
  peerPort: number | null;
  cause: string;
  count: number;
  /** First sight (ms) of the oldest of its sockets, from the seen-store; null when unknown. */
  firstSeen: number | null;
}

export interface DestinationSample {
  /** "ADDR:PORT", with "*" for the side whose ports vary. */
  local: string;
  remote: string;
  count: number;
  portsLeft: number | null;
  ratePerSec: number | null;
  exhaustedInSec: number | null;
  severity: Severity | "none";
}

export interface NamespaceSample {
  at: number;
  /** How tables name it; "" for the host (sockdoc's own namespace, not named). */
  netns: string;
  readMs: number;
  /** State name -> count, non-zero only. */
  states: Record<string, number>;
  closeWait: CloseWaitGroupSample[];
  timeWait: DestinationSample[];
  /** The sysctls the scope was read with (name -> value); null when not known. */
  sysctls: Record<string, string> | null;
  /** The advisor's findings on this sample (tune advise's rules, no config files). */
  findings: readonly Finding[];
}
