/**
 * @module Severity of a finding, shared by every analysis and by --fail-on:
 * info < warning < critical ("none" when there is no finding at all).
 */

export type Severity = "info" | "warning" | "critical";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

export function severityRank(s: Severity | "none"): number {
  return s === "none" ? -1 : SEVERITIES.indexOf(s);
}

/** The worst of the list; null when it is empty. */
export function maxSeverity(list: Iterable<Severity>): Severity | null {
  let best: Severity | null = null;
  for (const s of list) if (best === null || severityRank(s) > severityRank(best)) best = s;
  return best;
}
