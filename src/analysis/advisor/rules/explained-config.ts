/**
 * @module Rule: the config lines that set tcp_tw_reuse or tcp_fin_timeout
 * (the usual TIME_WAIT advice), each answered at its FILE:LINE with what it
 * really does on this kernel: the same text `tune lint` gives
 * (../explained-settings.ts). The line that wins for each key (the last
 * loaded) is the one explained.
 */
import { EXPLAINED, explainSetting } from "../explained-settings.js";
import type { AdvisorInput, ConfigLine, Finding } from "../types.js";

/** The winning config line of key, or undefined when no config file sets it (or none was read). */
export function winningLine(input: AdvisorInput, key: string): ConfigLine | undefined {
  let last: ConfigLine | undefined;
  for (const line of input.config ?? []) if (line.key === key) last = line;
  return last;
}

/** Whether a config line already explains key at the value the kernel runs (so a running-value finding would repeat it). */
export function configExplains(input: AdvisorInput, key: string): boolean {
  const line = winningLine(input, key);
  return line !== undefined && line.value.trim() === input.sysctls[key]?.trim();
}

export function explainedConfigRule(input: AdvisorInput): Finding[] {
  const findings: Finding[] = [];
  for (const key of EXPLAINED.keys()) {
    const line = winningLine(input, key);
    if (line === undefined) continue;
    const text = explainSetting(key, line.value, input.kernel, input.sysctls);
    if (text === null) continue;
    const current = input.sysctls[key] ?? null;
    const runs =
      current !== null && current.trim() !== line.value.trim() ? ` (this kernel runs ${current} now)` : "";
    findings.push({
      id: "explained-config",
      severity: "info",
      setting: key,
      current,
      recommended: null,
      why: `${line.file}:${line.line}: ${text}${runs}.`,
      command: null,
    });
  }
  return findings;
}
