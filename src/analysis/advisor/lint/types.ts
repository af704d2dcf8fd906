/**
 * @module What the config lint reads (the parsed config files and the
 * running kernel's view of their keys) and what it says: findings tied to a
 * file and line.
 */
import type { Severity } from "../../../model/severity.js";
import type { ConfAssignment, ConfProblem } from "../../../sources/sysctl-conf-parse.js";

export interface LintFinding {
  id: string;
  severity: Severity;
  file: string;
  /** 1-based; null when the finding is about the whole file. */
  line: number | null;
  key: string | null;
  value: string | null;
  message: string;
}

export interface LintInput {
  /** Files read, in load order. */
  files: ReadonlyArray<{ path: string; shadows: readonly string[] }>;
  /** Every assignment in load order (the later one of a key wins). */
  assignments: readonly ConfAssignment[];
  problems: readonly ConfProblem[];
  kernel: string | null;
  /** Whether the running kernel's settings could be looked at (<root>/proc/sys exists). */
  kernelChecked: boolean;
  /** Running values of the keys the config sets (and net.ipv4.ip_unprivileged_port_start). */
  running: Readonly<Record<string, string>>;
  /** Keys the config sets that the kernel does not have. */
  missing: readonly string[];
}

export type LintRule = (input: LintInput) => LintFinding[];

/** Where a finding about one assignment points: its file, line, key and value. */
export function assignmentPlace(a: ConfAssignment): Pick<LintFinding, "file" | "line" | "key" | "value"> {
  return { file: a.file, line: a.line, key: a.key, value: a.value };
}
