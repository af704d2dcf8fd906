/**
 * @module Parse one sysctl config file (sysctl.conf(5), sysctl.d(5)) into
 * assignments with their line numbers. Pure and total: any text gives a
 * result, lines it cannot read become problems, it never throws.
 *
 * Syntax: blank lines and lines starting with "#" or ";" are skipped; a
 * comment is a whole line only (a "#" after a value is part of the value, as
 * for sysctl and systemd-sysctl). "key = value", whitespace around both
 * trimmed. A leading "-" means: ignore errors setting this key (a missing
 * key then does not fail the load).
 */
import { canonicalSysctlKey, isGlobKey } from "./sysctl-key.js";

export interface ConfAssignment {
  /** Canonical name (sysctl-key.ts), or the glob as written. */
  key: string;
  /** The name as written (without "-"). */
  rawKey: string;
  value: string;
  /** Line had the "-" prefix: errors for this key are ignored. */
  ignoreErrors: boolean;
  /** The name is a glob (systemd-sysctl expands it over existing names). */
  glob: boolean;
  file: string;
  /** 1-based. */
  line: number;
}

export interface ConfProblem {
  file: string;
  line: number;
  text: string;
  message: string;
}

export interface ParsedConf {
  assignments: ConfAssignment[];
  problems: ConfProblem[];
}

export function parseSysctlConf(text: string, file: string): ParsedConf {
  const result: ParsedConf = { assignments: [], problems: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    let body = raw.trim();
    if (body === "" || body.startsWith("#") || body.startsWith(";")) continue;
    const problem = (message: string) =>
      result.problems.push({ file, line: i + 1, text: raw.slice(0, 200), message });
    const ignoreErrors = body.startsWith("-");
    if (ignoreErrors) body = body.slice(1).trimStart();
    const eq = body.indexOf("=");
    if (eq < 0) {
      problem('not an assignment (no "="); sysctl skips it');
      continue;
    }
    const rawKey = body.slice(0, eq).trim();
    const value = body.slice(eq + 1).trim();
    if (rawKey === "") {
      problem('no name before "="');
      continue;
    }
    if (/\s/.test(rawKey)) {
      problem(`"${rawKey}" is not a sysctl name (it holds whitespace)`);
      continue;
    }
    const glob = isGlobKey(rawKey);
    const key = glob ? rawKey : canonicalSysctlKey(rawKey);
    if (key === null) {
      problem(`"${rawKey}" is not a sysctl name`);
      continue;
    }
    result.assignments.push({ key, rawKey, value, ignoreErrors, glob, file, line: i + 1 });
  }
  return result;
}
