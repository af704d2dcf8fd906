/**
 * @module The NAME=VALUE words of `sockdoc tune apply`, as sysctl -w takes
 * them: the name canonical (sysctl-key.ts), the value trimmed. Pure.
 */
import { UsageError } from "../../model/errors.js";
import { canonicalSysctlKey } from "../../sources/sysctl-key.js";

export interface Assignment {
  name: string;
  value: string;
}

export function parseAssignments(words: readonly string[]): Assignment[] {
  if (words.length === 0) {
    throw new UsageError("give at least one NAME=VALUE, e.g. net.ipv4.tcp_tw_reuse=1");
  }
  const seen = new Set<string>();
  return words.map((word) => {
    const eq = word.indexOf("=");
    if (eq < 0) throw new UsageError(`"${word}" is not NAME=VALUE (e.g. net.ipv4.tcp_tw_reuse=1)`);
    const name = canonicalSysctlKey(word.slice(0, eq));
    if (name === null) throw new UsageError(`"${word.slice(0, eq)}" is not a sysctl name`);
    const value = word.slice(eq + 1).trim();
    if (value === "" && name !== "net.ipv4.ip_local_reserved_ports") {
      throw new UsageError(`${name} has no value after "="`);
    }
    if (/[\r\n]/.test(value)) throw new UsageError(`the value of ${name} holds a line break`);
    if (seen.has(name)) throw new UsageError(`${name} is given twice; give each setting once`);
    seen.add(name);
    return { name, value };
  });
}
