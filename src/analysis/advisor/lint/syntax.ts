/**
 * @module Lint: lines sysctl cannot read (no "=", a bad name), and files
 * that are not read because a same-named file in a higher-priority
 * directory replaces them (an edit there has no effect).
 */
import type { LintFinding, LintInput } from "./types.js";

export function syntaxRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = input.problems.map((p) => ({
    id: "syntax",
    severity: "warning",
    file: p.file,
    line: p.line,
    key: null,
    value: null,
    message: `${p.message}: "${p.text.trim()}"`,
  }));
  for (const f of input.files) {
    for (const shadow of f.shadows) {
      findings.push({
        id: "shadowed-file",
        severity: "info",
        file: shadow,
        line: null,
        key: null,
        value: null,
        message: `never read: ${f.path} has the same name in a higher-priority directory and replaces it`,
      });
    }
  }
  return findings;
}
