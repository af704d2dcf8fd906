/**
 * @module Lint: keys Linux removed. net.ipv4.tcp_tw_recycle (gone in 4.12)
 * makes `sysctl -p` print "cannot stat /proc/sys/net/ipv4/tcp_tw_recycle"
 * and exit non-zero, unless the line starts with "-".
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { KNOWN_SETTINGS } from "../known-settings.js";
import { assignmentPlace, type LintFinding, type LintInput } from "./types.js";

const REMOVED = new Map(KNOWN_SETTINGS.filter((s) => s.removedIn).map((s) => [s.name, s.removedIn!]));

export function removedKeysRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const a of input.assignments) {
    const removedIn = REMOVED.get(a.key);
    if (!removedIn) continue;
    const gone = input.missing.includes(a.key) || kernelAtLeast(input.kernel, removedIn);
    const path = `/proc/sys/${a.key.replace(/\./g, "/")}`;
    let severity: LintFinding["severity"];
    let message: string;
    if (!gone) {
      severity = a.value.trim() === "0" ? "info" : "warning";
      message =
        `${a.key} is removed in Linux ${removedIn} (it broke clients behind NAT): on a newer kernel ` +
        `this line makes \`sysctl -p\` fail; delete it${severity === "warning" ? " and turn it off" : ""}`;
    } else if (a.ignoreErrors) {
      severity = "info";
      message = `${a.key} was removed in Linux ${removedIn}; the "-" prefix makes sysctl skip it; delete the line`;
    } else {
      severity = "critical";
      message =
        `${a.key} was removed in Linux ${removedIn}: \`sysctl -p\` prints "cannot stat ${path}: No such ` +
        `file or directory" and exits non-zero; delete the line (or prefix it with "-")`;
    }
    findings.push({ id: "removed-key", severity, ...assignmentPlace(a), message });
  }
  return findings;
}
