/**
 * @module Lint: the config's winning value differs from the running one.
 * Either the config changed and was not applied (`sysctl --system` applies
 * it), or something set the value at run time (sysctl -w, a container
 * runtime, a tuning daemon such as tuned), and a reboot will change it back.
 */
import { sameValue, usedValue, valueProblem } from "../setting-value.js";
import { valueContext } from "./bad-values.js";
import { effectiveAssignments } from "./effective.js";
import type { LintFinding, LintInput } from "./types.js";

export function driftRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const ctx = valueContext(input);
  for (const [key, { winner }] of effectiveAssignments(input.assignments)) {
    const running = input.running[key];
    const { used } = usedValue(key, winner.value);
    // A value the kernel refuses is bad-values' finding: it never gets applied, so no drift to explain.
    if (running === undefined || valueProblem(key, used, ctx) !== null || sameValue(key, used, running))
      continue;
    findings.push({
      id: "drift",
      severity: "warning",
      file: winner.file,
      line: winner.line,
      key,
      value: winner.value,
      message:
        `the kernel runs ${key} = ${running.split(/\s+/).join(" ")}, not ${used}: the config was ` +
        "not applied since it changed (sysctl --system), or something set it at run time; a reboot " +
        "applies the config's value",
    });
  }
  return findings;
}
