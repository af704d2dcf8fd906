/**
 * @module The lint as text, like a compiler's: "FILE:LINE: severity:
 * message", one per finding in load order, then the files read and a tally.
 */
import type { LintFinding, LintInput } from "../../analysis/advisor/lint/types.js";
import { para, tally } from "./text.js";

export function lintText(findings: readonly LintFinding[], input: LintInput, root: string): string {
  const out: string[] = [];
  for (const f of findings) {
    const at = f.line === null ? f.file : `${f.file}:${f.line}`;
    const key = f.key && !f.message.includes(f.key) ? `${f.key}: ` : "";
    out.push(...para(`${at}: ${f.severity}: ${key}${f.message}`, "", "    "));
  }
  if (out.length > 0) out.push("");
  const files = input.files.length;
  const against = input.kernelChecked
    ? `, checked against kernel ${input.kernel ?? "(release unknown)"}`
    : "";
  out.push(
    ...para(
      `${files} config file${files === 1 ? "" : "s"} under ${root} (${input.assignments.length} settings)` +
        `${against}: ${findings.length === 0 ? "no findings" : tally(findings.map((f) => f.severity))}.`,
    ),
  );
  return out.join("\n");
}
