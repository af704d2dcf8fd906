/**
 * @module Which assignment of each key wins: the last one loaded. Glob keys
 * are left out (systemd-sysctl expands them against the names that exist,
 * so they do not name one key). Pure.
 */
import type { ConfAssignment } from "../../../sources/sysctl-conf-parse.js";

export interface KeyAssignments {
  winner: ConfAssignment;
  /** Earlier assignments of the same key, in load order. */
  overridden: ConfAssignment[];
}

export function effectiveAssignments(assignments: readonly ConfAssignment[]): Map<string, KeyAssignments> {
  const byKey = new Map<string, KeyAssignments>();
  for (const a of assignments) {
    if (a.glob) continue;
    const seen = byKey.get(a.key);
    if (!seen) byKey.set(a.key, { winner: a, overridden: [] });
    else {
      seen.overridden.push(seen.winner);
      seen.winner = a;
    }
  }
  return byKey;
}

export function where(a: Pick<ConfAssignment, "file" | "line">): string {
  return `${a.file}:${a.line}`;
}
