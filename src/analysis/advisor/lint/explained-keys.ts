/**
 * @module Lint: the settings that come with the usual TIME_WAIT advice
 * (tcp_tw_reuse, tcp_fin_timeout), each answered at its line with what it
 * really does on this kernel (the texts: ../explained-settings.ts, shared
 * with `tune advise`). tcp_tw_recycle is removed-keys.ts's job. Info only:
 * the lines are legal; what they are believed to do is not.
 */
import { explainSetting } from "../explained-settings.js";
import { assignmentPlace, type LintFinding, type LintInput } from "./types.js";

/**
 * One finding per key, at the assignment that wins (the last loaded): the
 * earlier ones are "overridden" findings already, and a file read twice
 * through a link is explained once.
 */
export function explainedKeysRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const winners = new Map(input.assignments.map((a) => [a.key, a]));
  for (const a of winners.values()) {
    // A value the kernel refuses is bad-values.ts's finding: nothing to explain.
    const message = explainSetting(a.key, a.value, input.kernel, input.running);
    if (message !== null)
      findings.push({ id: "explained", severity: "info", ...assignmentPlace(a), message });
  }
  return findings;
}
