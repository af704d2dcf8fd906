/**
 * @module Lint: values the kernel would refuse for the keys sockdoc knows
 * (setting-value.ts): `sysctl` prints "setting key ...: Invalid argument".
 * The kernel reads only the numbers it wants and ignores what follows, so
 * "30 # comment" sets 30: that is noted, since "#" starts a comment only at
 * the start of a line.
 */
import { DEFAULT_UNPRIVILEGED_PORT_START, knownSetting } from "../known-settings.js";
import { parseKernelInt, usedValue, valueProblem } from "../setting-value.js";
import { assignmentPlace, type LintFinding, type LintInput } from "./types.js";

/** What the port range is checked against: the running ip_unprivileged_port_start, else 1024. */
export function valueContext(input: LintInput) {
  const start = parseKernelInt(input.running["net.ipv4.ip_unprivileged_port_start"] ?? "");
  return { unprivilegedPortStart: start ?? DEFAULT_UNPRIVILEGED_PORT_START };
}

export function badValuesRule(input: LintInput): LintFinding[] {
  const ctx = valueContext(input);
  const findings: LintFinding[] = [];
  for (const a of input.assignments) {
    const spec = knownSetting(a.key);
    if (!spec || a.glob) continue;
    const { used, trailing } = usedValue(a.key, a.value);
    const base = assignmentPlace(a);
    const problem = valueProblem(a.key, used, ctx);
    if (problem) {
      findings.push({
        ...base,
        id: "bad-value",
        severity: a.ignoreErrors ? "info" : "warning",
        message: `the kernel refuses it (EINVAL): ${a.key} ${problem}`,
      });
    } else if (trailing) {
      findings.push({
        ...base,
        id: "trailing-text",
        severity: "info",
        message: `the kernel uses "${used}" and ignores the rest; "#" starts a comment only at the start of a line`,
      });
    }
  }
  return findings;
}
