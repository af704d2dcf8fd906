/**
 * @module Lint: a key set more than once with different values. The one
 * loaded last wins without a word; the earlier line is flagged with the
 * line that wins. Equal values are not flagged (Debian's
 * /etc/sysctl.d/99-sysctl.conf is a link to /etc/sysctl.conf, read twice).
 */
import { sameValue, usedValue } from "../setting-value.js";
import { effectiveAssignments, where } from "./effective.js";
import type { LintFinding, LintInput } from "./types.js";

export function duplicatesRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const [key, { winner, overridden }] of effectiveAssignments(input.assignments)) {
    // A key the kernel lacks fails on every line (missing-key, removed-key): which one wins is moot.
    if (input.missing.includes(key)) continue;
    for (const a of overridden) {
      if (sameValue(key, usedValue(key, a.value).used, usedValue(key, winner.value).used)) continue;
      findings.push({
        id: "overridden",
        severity: "warning",
        file: a.file,
        line: a.line,
        key,
        value: a.value,
        message: `has no effect: ${where(winner)} sets ${key} = ${winner.value} and is loaded later, so it wins`,
      });
    }
  }
  return findings;
}
