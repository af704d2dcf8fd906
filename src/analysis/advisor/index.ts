/**
 * @module The advisor: runs every rule on one host's facts and returns the
 * findings, worst first (rules keep their order within a severity).
 */
import { maxSeverity, type Severity, severityRank } from "../../model/severity.js";
import { backlogRule } from "./rules/backlog.js";
import { closeWaitRule } from "./rules/close-wait.js";
import { explainedConfigRule } from "./rules/explained-config.js";
import { finTimeoutRule } from "./rules/fin-timeout.js";
import { portRangeRule } from "./rules/port-range.js";
import { timestampsRule } from "./rules/timestamps.js";
import { twBucketsRule } from "./rules/tw-buckets.js";
import { twRecycleRule } from "./rules/tw-recycle.js";
import { twReuseRule } from "./rules/tw-reuse.js";
import type { AdvisorInput, Finding, Rule } from "./types.js";

export const RULES: readonly Rule[] = [
  closeWaitRule,
  twRecycleRule,
  twReuseRule,
  timestampsRule,
  portRangeRule,
  twBucketsRule,
  finTimeoutRule,
  explainedConfigRule,
  backlogRule,
];

export interface Advice {
  findings: Finding[];
  /** Worst severity, or "none" without findings. */
  severity: Severity | "none";
}

export function advise(input: AdvisorInput, rules: readonly Rule[] = RULES): Advice {
  const all = rules.flatMap((rule) => rule(input));
  // Array.prototype.sort is stable: equal severities keep rule order.
  const findings = all.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { findings, severity: maxSeverity(findings.map((f) => f.severity)) ?? "none" };
}
