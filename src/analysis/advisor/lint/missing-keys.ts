/**
 * @module Lint: keys this kernel does not have (no file under /proc/sys).
 * `sysctl -p` fails on them with "cannot stat" unless the line starts with
 * "-". Keys of an interface not present yet, or of a module not loaded, are
 * only noted: they may appear later (systemd-sysctl applies per-interface
 * keys when the interface shows up). So are host-wide net.* keys read from
 * inside a network namespace: the kernel registers them for the host's only.
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { knownSetting } from "../known-settings.js";
import { assignmentPlace, type LintFinding, type LintInput } from "./types.js";

const PER_INTERFACE = /^net[./]ipv[46][./](conf|neigh)[./](?!all[./]|default[./])/;
const MODULE_KEYS: ReadonlyArray<[RegExp, string]> = [
  [/^net[./]netfilter[./]|^net[./]nf_conntrack_max$/, "nf_conntrack"],
  [/^net[./]bridge[./]/, "br_netfilter"],
];

export function missingKeysRule(input: LintInput): LintFinding[] {
  if (!input.kernelChecked) return [];
  const findings: LintFinding[] = [];
  for (const a of input.assignments) {
    const spec = knownSetting(a.key);
    if (a.glob || spec?.removedIn || !input.missing.includes(a.key)) continue;
    const module = MODULE_KEYS.find(([re]) => re.test(a.key))?.[1];
    const kernel = input.kernel ? `kernel ${input.kernel}` : "this kernel";
    let severity: LintFinding["severity"] = a.ignoreErrors ? "info" : "warning";
    let message: string;
    if (PER_INTERFACE.test(a.key)) {
      severity = "info";
      message = `${kernel} has no ${a.key}: no such interface now; fine if it appears later`;
    } else if (spec?.perNetns === false && a.key.startsWith("net.")) {
      severity = "info";
      message =
        `${a.key} exists only in the host's network namespace (one value for the whole host), ` +
        "not in the one whose /proc/sys was read; sysctl run inside this namespace fails on it";
    } else if (module) {
      severity = "info";
      message = `${kernel} has no ${a.key} now: module ${module} is not loaded; sysctl fails on it until it is`;
    } else {
      const newer =
        spec?.since && !kernelAtLeast(input.kernel, spec.since) ? ` (it arrived in Linux ${spec.since})` : "";
      message = a.ignoreErrors
        ? `${kernel} has no ${a.key}${newer}; the "-" prefix makes sysctl skip it`
        : `${kernel} has no ${a.key}${newer}: \`sysctl -p\` fails with "cannot stat"; delete the line or prefix it with "-"`;
    }
    findings.push({ id: "missing-key", severity, ...assignmentPlace(a), message });
  }
  return findings;
}
