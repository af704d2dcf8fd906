/**
 * @module inspect(scope, analyses): read a scope once and run every analysis
 * over that one read. The facts first (sysctls, counters), then the sockets
 * (three kernel dumps, a fourth only when an early dump is redone, or the
 * records of /proc or a capture), then
 * the owners and processes of what the collectors kept, then each result.
 * An analysis that fails keeps its error; the others still report.
 */
import { performance } from "node:perf_hooks";
import type { NetnsRef } from "../model/netns.js";
import type { TcpSocket } from "../model/socket.js";
import { dumpRequestCount } from "../sources/sock-diag.js";
import type { OwnersVia } from "../sources/owners.js";
import { talliedSocketCount } from "../sources/sock-diag-async.js";
import type { Analysis, Gathered, Needs, Outcome, ScopeFacts } from "./analysis.js";
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
    /** Kernel dump requests sent while this scope was read (namespaces read two at a time share theirs). */
    dumps: number;
    /** Sockets the addon counted for the analyses (Needs.tally) instead of handing them over; same sharing. */
    tallied: number;
    /** Time of the shared read (facts, sockets, owners, processes), ms. */
    readMs: number;
    /** Of which the owners and processes (one walk for every scope of a run), ms. */
    gatherMs: number;
    /** How the owners were found (null: they were not looked up). */
    ownersVia: OwnersVia | null;
    /** Why the BPF fd iterator did not serve (null: it did, or was not possible). */
    ownersNote: string | null;
    /** Why the BPF tcp iterator did not read what it could have (null: it did, or could not have). */
    socketsNote: string | null;
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

/** One scope's read, before the owners are known. */
interface Reading {
  scope: Scope;
  needs: Needs;
  facts: ScopeFacts;
  running: Running[];
  warnings: string[];
  kept: Array<readonly TcpSocket[]>;
  inodes: number[];
  dumps: number;
  tallied: number;
  t0: number;
  /** Time of this scope's own read (facts and sockets), ms. */
  readMs: number;
  socketsNote: string | null;
}

async function readScope(scope: Scope, analyses: readonly Analysis<unknown>[]): Promise<Reading> {
  const t0 = performance.now();
  const dumpsBefore = dumpRequestCount();
  const talliedBefore = talliedSocketCount();
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
      ? await readHostSockets(scope, needs.states, running, () => startAll(running, facts))
      : readCaptureSockets(scope, running, needs.states, () =>
          startAll(
            running.filter((r) => r.analysis.needs.listenFirst),
            facts,
          ),
        );
  facts.source = read.source;
  if (scope.kind === "host") facts.takenAt = Date.now();
  warnings.unshift(...read.warnings);
  const kept: Array<readonly TcpSocket[]> = [];
  const inodes: number[] = [];
  for (const r of running) {
    if (r.error || !r.collector) continue;
    try {
      if (r.collector.records) kept.push(r.collector.records());
      if (r.collector.ownerInodes) for (const inode of r.collector.ownerInodes()) inodes.push(inode);
    } catch (err) {
      r.error = asError(err);
    }
  }
  const dumps = dumpRequestCount() - dumpsBefore;
  const tallied = talliedSocketCount() - talliedBefore;
  return {
    scope,
    needs,
    facts,
    running,
    warnings,
    kept,
    inodes,
    dumps,
    tallied,
    t0,
    readMs: performance.now() - t0,
    socketsNote: read.note ?? null,
  };
}

/**
 * A namespace that cannot be read (no permission to enter, gone meanwhile)
 * fails its own analyses, with a warning, and never the whole run. Without
 * namespaces the error is the command's.
 */
async function readOrKeep(scope: Scope, analyses: readonly Analysis<unknown>[]): Promise<Reading> {
  if (scope.kind !== "host" || !scope.netns) return readScope(scope, analyses);
  try {
    return await readScope(scope, analyses);
  } catch (err) {
    const error = asError(err);
    const running: Running[] = analyses.map((analysis) => ({ analysis, collector: null, error, ownMs: 0 }));
    const facts: ScopeFacts = {
      host: { hostname: "unknown", kernel: null, sysctls: {} },
      sysctls: { values: {}, missing: [], unreadable: [] },
      counters: null,
      sockstat: null,
      source: { kind: "netlink", detail: `netns ${scope.netns.path}` },
      takenAt: Date.now(),
      netns: `net:[${scope.netns.ref.inode}]`,
      sysctlsKnown: false,
    };
    const needs = mergeNeeds(analyses.map((a) => a.needs));
    return {
      scope,
      needs,
      facts,
      running,
      warnings: [error.message],
      kept: [],
      inodes: [],
      readMs: 0,
      dumps: 0,
      tallied: 0,
      t0: performance.now(),
      socketsNote: null,
    };
  }
}

function finishScope(reading: Reading, gathered: Gathered, gatherMs: number): Inspection {
  const { running, facts, scope, warnings } = reading;
  const readMs = reading.readMs + gatherMs;
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
    facts: { ...facts },
    ownersResolved: gathered.ownersResolved,
    warnings,
    outcomes,
    stats: {
      dumps: reading.dumps,
      tallied: reading.tallied,
      readMs,
      gatherMs,
      ownersVia: gathered.ownersVia,
      ownersNote: gathered.ownersNote,
      socketsNote: reading.socketsNote,
      totalMs: performance.now() - reading.t0,
    },
  };
}

/** Namespaces read at once: a namespace's read is one walk of the table on one thread; two fill two cores. */
const PARALLEL_NAMESPACES = 2;

/**
 * Every scope's read, in the scopes' order. Other namespaces two at a time;
 * sockdoc's own namespace (and a capture) alone, since its read already
 * keeps both cores busy (TIME_WAIT on a lane of its own).
 */
async function readAll(
  scopes: readonly Scope[],
  analysesFor: (scope: Scope) => readonly Analysis<unknown>[],
): Promise<Reading[]> {
  const readings: Reading[] = new Array(scopes.length);
  const inside = (s: Scope) => s.kind === "host" && s.netns !== undefined && !s.netns.own;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scopes.length) {
      const i = next++;
      readings[i] = await readOrKeep(scopes[i]!, analysesFor(scopes[i]!));
    }
  };
  for (let i = 0; i < scopes.length && !inside(scopes[i]!); i = next) {
    next = i + 1;
    readings[i] = await readOrKeep(scopes[i]!, analysesFor(scopes[i]!));
  }
  await Promise.all(Array.from({ length: PARALLEL_NAMESPACES }, worker));
  return readings;
}

/**
 * Inspects several scopes (network namespaces of one host, say) with the
 * analyses each is given: each scope read on its own, then one fd walk for
 * the owners of all of them (an owner may live in any namespace), then each
 * scope's results.
 */
export async function inspectMany(
  scopes: readonly Scope[],
  analysesFor: (scope: Scope) => readonly Analysis<unknown>[],
): Promise<Inspection[]> {
  const readings = await readAll(scopes, analysesFor);
  const t0 = performance.now();
  const shared: string[] = [];
  const gathered = await gather(readings, shared);
  const gatherMs = performance.now() - t0;
  // The walk's warnings (unreadable processes) belong to every scope it served.
  for (const r of readings) if (r.scope.kind === "host") r.warnings.push(...shared);
  return readings.map((r, i) => finishScope(r, gathered[i]!, gatherMs));
}

export async function inspect(scope: Scope, analyses: readonly Analysis<unknown>[]): Promise<Inspection> {
  const [inspection] = await inspectMany([scope], () => analyses);
  return inspection!;
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

/** The error an analysis failed with, as one line; null when it succeeded. */
export function errorOf(inspection: Inspection, analysis: Analysis<unknown>): string | null {
  const outcome = inspection.outcomes.get(analysis.name);
  return outcome && !outcome.ok ? outcome.error.message : null;
}

/** The namespace an inspection read, as output names it; null for sockdoc's own when none was asked for. */
export function netnsOf(inspection: Inspection): NetnsRef | null {
  const scope = inspection.scope;
  return scope.kind === "host" && scope.netns ? scope.netns.ref : null;
}

/** Each inspected namespace's summary total and states, or the error that left it unread. */
export function namespaceCounts(
  round: readonly Inspection[],
  summary: Analysis<{ total: number; states: Record<string, number> }>,
) {
  return round.map((i) => {
    const one = resultOrNull(i, summary);
    return {
      netns: netnsOf(i),
      total: one?.total ?? null,
      states: one?.states ?? null,
      error: errorOf(i, summary),
    };
  });
}
