/**
 * @module Hands each socket of one read to the collectors that want its
 * state, and keeps a collector's failure to itself: the first error it
 * throws is kept, it sees no more sockets, and the others go on.
 */
import type { SocketCursor } from "../sources/sock-diag.js";
import type { Analysis, Collector } from "./analysis.js";

export interface Running {
  analysis: Analysis<unknown>;
  collector: Collector<unknown> | null;
  error: Error | null;
  /** Time spent in start() and finish(), ms. */
  ownMs: number;
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A visitor for sockets whose states are in passMask, or null when no collector wants any of them. */
export function dispatcher(
  running: readonly Running[],
  passMask: number,
  /** States the addon tallied: their sockets that still come go only to collectors that did not take the tally. */
  tallied = 0,
): ((c: SocketCursor) => void) | null {
  const targets = running.filter((r) => r.collector !== null && (r.analysis.needs.states & passMask) !== 0);
  if (targets.length === 0) return null;
  // Per collector, the states it sees one by one.
  const seen = targets.map(
    (r) => r.analysis.needs.states & ~(tallied & (r.analysis.needs.tally?.states ?? 0)),
  );
  return (c) => {
    const bit = 1 << c.state;
    for (let i = 0; i < targets.length; i++) {
      const r = targets[i]!;
      if (r.error !== null || (seen[i]! & bit) === 0) continue;
      try {
        r.collector!.add(c);
      } catch (err) {
        r.error = asError(err);
      }
    }
  };
}
