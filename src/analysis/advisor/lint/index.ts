/**
 * @module The config lint: every lint rule over the parsed sysctl config and
 * the running kernel, findings in load order (file, then line).
 */
import { maxSeverity, type Severity } from "../../../model/severity.js";
import { badValuesRule } from "./bad-values.js";
import { driftRule } from "./drift.js";
import { duplicatesRule } from "./duplicates.js";
import { explainedKeysRule } from "./explained-keys.js";
import { missingKeysRule } from "./missing-keys.js";
import { removedKeysRule } from "./removed-keys.js";
import { syntaxRule } from "./syntax.js";
import type { LintFinding, LintInput, LintRule } from "./types.js";

export const LINT_RULES: readonly LintRule[] = [
  syntaxRule,
  removedKeysRule,
  explainedKeysRule,
  missingKeysRule,
  badValuesRule,
  duplicatesRule,
  driftRule,
];

export interface LintResult {
  findings: LintFinding[];
  severity: Severity | "none";
}

export function lintConfig(input: LintInput): LintResult {
  const order = new Map<string, number>();
  input.files.forEach((f, i) => {
    order.set(f.path, i);
    for (const s of f.shadows) order.set(s, i);
  });
  const findings = LINT_RULES.flatMap((rule) => rule(input)).sort(
    (a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || (a.line ?? 0) - (b.line ?? 0),
  );
  return { findings, severity: maxSeverity(findings.map((f) => f.severity)) ?? "none" };
}
