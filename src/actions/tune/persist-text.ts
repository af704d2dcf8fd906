/**
 * @module The content of the sysctl.d file `--persist` writes: the previous
 * content with each applied key's lines set to the new value, and keys it
 * did not have added at the end. Other lines and comments are kept. Pure.
 */
import { parseSysctlConf } from "../../sources/sysctl-conf-parse.js";

export const DEFAULT_PERSIST_FILE = "/etc/sysctl.d/90-sockdoc.conf";

const HEADER = [
  "# Written by `sockdoc tune apply --persist`: applied at boot by systemd-sysctl",
  "# (or `sysctl --system`). `sockdoc tune rollback` puts back the previous content.",
];

export function persistText(
  previous: string | null,
  settings: ReadonlyArray<readonly [string, string]>,
): string {
  const lines = previous === null ? [...HEADER] : previous.replace(/\n$/, "").split(/\r?\n/);
  const wanted = new Map(settings);
  const done = new Set<string>();
  for (const a of parseSysctlConf(previous ?? "", "persist").assignments) {
    const value = wanted.get(a.key);
    if (value === undefined) continue;
    lines[a.line - 1] = `${a.key} = ${value}`;
    done.add(a.key);
  }
  for (const [key, value] of settings) if (!done.has(key)) lines.push(`${key} = ${value}`);
  return `${lines.join("\n")}\n`;
}
