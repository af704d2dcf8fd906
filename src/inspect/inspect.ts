/**
 * @module inspect(scope, analyses): read a scope once and run every analysis
 * over that one read. The facts first (sysctls, counters), then the sockets
 * (at most three kernel dumps, or the records of /proc or a capture), then
 * the owners and processes of what the collectors kept, then each result.
 * An analysis that fails keeps its error; the others still report.
 */
import { performance } from "node:perf_hooks";
import type { TcpSocket } from "../model/socket.js";
import { dumpRequestCount } from "../sources/sock-diag.js";
import type { Analysis, Outcome, ScopeFacts } from "./analysis.js";
import { asError, type Running } from "./dispatch.js";
import { captureFacts, hostFacts } from "./facts.js";
import { gather } from "./gather.js";
import { mergeNeeds } from "./needs.js";
import { readCaptureSockets, readHostSockets } from "./read-sockets.js";
import type { Scope } from "./scope.js";

export interface Inspection {
  scope: Scope;
  facts: ScopeFacts;
  /** Whether owners were looked up. */
  ownersResolved: boolean;
  /** About the read itself (source fallbacks, unreadable processes, counters). */
  warnings: string[];
  /** Per analysis name. */
  outcomes: Map<string, Outcome<unknown>>;
  stats: {
    /** Kernel dump requests this inspection sent. */
    dumps: number;
    /** Time of the shared read (facts, sockets, owners, processes), ms. */
    readMs: number;
    totalMs: number;
  };
}

function startAll(running: Running[], facts: ScopeFacts): void {
  for (const r of running) {
    const t0 = performance.now();
    r.error = null;
    try {
      r.collector = r.analysis.start(facts);
    } catch (err) {
      r.collector = null;
      r.error = asError(err);
    }
    r.ownMs = performance.now() - t0;
  }
}

export async function inspect(scope: Scope, analyses: readonly Analysis<unknown>[]): Promise<Inspection> {
  const t0 = performance.now();
  const dumpsBefore = dumpRequestCount();
  const needs = mergeNeeds(analyses.map((a) => a.needs));
  const warnings: string[] = [];
  const facts = scope.kind === "host" ? hostFacts(scope, needs, warnings) : captureFacts(scope, needs);
  const running: Running[] = analyses.map((analysis) => ({
    analysis,
    collector: null,
    error: null,
    ownMs: 0,
  }));
  startAll(running, facts);
  const read =
    scope.kind === "host"
      ? readHostSockets(scope, needs.states, running, () => startAll(running, facts))
      : readCaptureSockets(scope, running, needs.states);
  facts.source = read.source;
  if (scope.kind === "host") facts.takenAt = Date.now();
  warnings.unshift(...read.warnings);
  const kept: Array<readonly TcpSocket[]> = [];
  for (const r of running) {
    if (r.error || !r.collector?.records) continue;
    try {
      kept.push(r.collector.records());
    } catch (err) {
      r.error = asError(err);
    }
  }
  const gathered = gather(scope, needs, facts, kept, warnings);
  const readMs = performance.now() - t0;
  const outcomes = new Map<string, Outcome<unknown>>();
  for (const r of running) {
    const t1 = performance.now();
    let outcome: Outcome<unknown>;
    if (r.error || !r.collector)
      outcome = { ok: false, error: r.error ?? new Error("not started"), durationMs: 0 };
    else {
      try {
        outcome = { ok: true, value: r.collector.finish(gathered), durationMs: 0 };
      } catch (err) {
        outcome = { ok: false, error: asError(err), durationMs: 0 };
      }
    }
    outcome.durationMs = r.ownMs + performance.now() - t1;
    outcomes.set(r.analysis.name, outcome);
  }
  return {
    scope,
    facts,
    ownersResolved: gathered.ownersResolved,
    warnings,
    outcomes,
    stats: { dumps: dumpRequestCount() - dumpsBefore, readMs, totalMs: performance.now() - t0 },
  };
}

/** An analysis's result, or its kept error thrown (for commands that need that one result). */
export function resultOf<R>(inspection: Inspection, analysis: Analysis<R>): R {
  const outcome = inspection.outcomes.get(analysis.name);
  if (!outcome) throw new Error(`analysis ${analysis.name} was not run`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value as R;
}

/** An analysis's result, or null when it failed or was not run (failures() says why). */
export function resultOrNull<R>(inspection: Inspection, analysis: Analysis<R>): R | null {
  const outcome = inspection.outcomes.get(analysis.name);
  return outcome?.ok ? (outcome.value as R) : null;
}

/** "NAME failed: why" for each analysis that failed. */
export function failures(inspection: Inspection): string[] {
  const lines: string[] = [];
  for (const [name, outcome] of inspection.outcomes) {
    if (!outcome.ok) lines.push(`${name} failed: ${outcome.error.message}`);
  }
  return lines;
}
