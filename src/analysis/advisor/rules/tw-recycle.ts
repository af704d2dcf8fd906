/**
 * @module Rule: net.ipv4.tcp_tw_recycle. Removed in Linux 4.12 because it
 * dropped connections from clients behind NAT (it trusted per-host timestamps
 * that NAT mixes). On older kernels, on is harmful; on newer ones a leftover
 * config line makes `sysctl -p` fail with "cannot stat".
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { TW_RECYCLE } from "../known-settings.js";
import type { AdvisorInput, Finding } from "../types.js";

const REMOVED_IN = "4.12";

export function twRecycleRule(input: AdvisorInput): Finding[] {
  const findings: Finding[] = [];
  const running = input.sysctls[TW_RECYCLE];
  if (running !== undefined && running.trim() !== "0") {
    findings.push({
      id: "tw-recycle-on",
      severity: "critical",
      setting: TW_RECYCLE,
      current: running,
      recommended: "0",
      why:
        `tcp_tw_recycle drops SYNs from clients behind NAT whose timestamps go backwards, so some ` +
        `users cannot connect at random; Linux ${REMOVED_IN} removed it for that. Turn it off ` +
        `(sysctl -w ${TW_RECYCLE}=0; sockdoc does not write this setting) and delete it from ` +
        `the config; use tcp_tw_reuse for outgoing connections instead.`,
      command: null,
    });
  }
  const gone = input.missing.includes(TW_RECYCLE) || kernelAtLeast(input.kernel, REMOVED_IN);
  for (const line of input.config ?? []) {
    if (line.key !== TW_RECYCLE || !gone) continue;
    const where = `${line.file}:${line.line}`;
    findings.push({
      id: line.ignoreErrors ? "tw-recycle-config-ignored" : "tw-recycle-config",
      severity: line.ignoreErrors ? "info" : "warning",
      setting: TW_RECYCLE,
      current: null,
      recommended: null,
      why: line.ignoreErrors
        ? `${where} sets tcp_tw_recycle, which this kernel no longer has (removed in ${REMOVED_IN}); ` +
          `the "-" prefix makes sysctl skip it. Delete the line.`
        : `${where} sets tcp_tw_recycle, removed in Linux ${REMOVED_IN}: \`sysctl -p\` stops with ` +
          `"cannot stat /proc/sys/net/ipv4/tcp_tw_recycle" and exits non-zero, which can fail boot ` +
          `scripts and config management. Delete the line (see \`sockdoc tune lint\`).`,
      command: null,
    });
  }
  return findings;
}
