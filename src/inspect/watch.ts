/**
 * @module Inspections of one scope over time: an async iterator that inspects,
 * yields, waits and goes again, until its count is reached or its signal
 * aborts. What `closewait --watch` and, later, a long-running watcher read.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Analysis } from "./analysis.js";
import { type Inspection, inspectMany } from "./inspect.js";
import type { Scope } from "./scope.js";

export interface Schedule {
  /** Inspections to make; null: until aborted. */
  count: number | null;
  /** Pause between the end of one inspection and the start of the next. */
  intervalMs: number;
}

export async function* inspections(
  scope: Scope,
  analyses: readonly Analysis<unknown>[],
  schedule: Schedule,
  signal: AbortSignal,
): AsyncGenerator<Inspection> {
  for await (const [one] of inspectionsOfMany([scope], () => analyses, schedule, signal)) yield one!;
}

/** The same over several scopes (every network namespace): each round inspects them all. */
export async function* inspectionsOfMany(
  scopes: readonly Scope[],
  analysesFor: (scope: Scope) => readonly Analysis<unknown>[],
  schedule: Schedule,
  signal: AbortSignal,
): AsyncGenerator<Inspection[]> {
  for (let i = 0; schedule.count === null || i < schedule.count; i++) {
    if (signal.aborted) return;
    yield await inspectMany(scopes, analysesFor);
    if (schedule.count !== null && i + 1 >= schedule.count) return;
    try {
      await sleep(schedule.intervalMs, undefined, { signal });
    } catch {
      return;
    }
  }
}
