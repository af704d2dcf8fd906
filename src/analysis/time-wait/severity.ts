/**
 * @module How bad a TIME_WAIT destination is, for --fail-on and the notes.
 * The thresholds are documented in `sockdoc timewait --help`:
 *   critical: outgoing, and at the current rate connect() fails (now or
 *             within the next minute); or, without tcp_tw_reuse, fewer than
 *             5% of the ports are left.
 *   warning:  outgoing, and at least half the ports are in use, or the rate
 *             is at least half of what the destination sustains; or (for the
 *             whole host) TIME_WAIT at 80% or more of tcp_max_tw_buckets.
 *   info:     anything else, every incoming group included (memory only).
 */

import type { Severity } from "../../model/severity.js";

export { maxSeverity, SEVERITIES, type Severity, severityRank } from "../../model/severity.js";

export const THRESHOLDS = {
  criticalLeftShare: 0.05,
  warningUsedShare: 0.5,
  warningRateShare: 0.5,
  warningBucketShare: 0.8,
} as const;

export interface OutgoingFacts {
  budget: number;
  portsInUse: number;
  ratePerSec: number | null;
  sustainablePerSec: number;
  exhaustedInSec: number | null;
  reuse: boolean;
}

export function outgoingSeverity(f: OutgoingFacts): Severity {
  if (f.exhaustedInSec !== null) return "critical";
  const left = Math.max(0, f.budget - f.portsInUse);
  if (!f.reuse && left < f.budget * THRESHOLDS.criticalLeftShare) return "critical";
  if (f.portsInUse >= f.budget * THRESHOLDS.warningUsedShare) return "warning";
  if (f.ratePerSec !== null && f.ratePerSec >= f.sustainablePerSec * THRESHOLDS.warningRateShare) {
    return "warning";
  }
  return "info";
}

export function bucketSeverity(used: number, max: number | null): Severity {
  return max !== null && max > 0 && used >= max * THRESHOLDS.warningBucketShare ? "warning" : "info";
}
