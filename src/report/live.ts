/**
 * @module The watcher's latest round as the dashboard's JSON (/api/live and
 * each /api/stream event): states summed over namespaces and per namespace,
 * the CLOSE_WAIT groups with their first sight, the TIME_WAIT destinations
 * with ports left and forecast, the advisor's findings and this round's
 * events. Names as in `history --json` where they overlap.
 */
import type { StoreEvent } from "../store/events.js";
import type { NamespaceSample } from "../store/sample.js";
import { SCHEMA_VERSION } from "../render/envelope.js";

export interface LiveRound {
  samples: readonly NamespaceSample[];
  events: readonly StoreEvent[];
  /** Rounds taken by this watcher. */
  sample: number;
  intervalMs: number;
  hostname: string;
  /** The watcher's own memory after writing the round (flat over days: no growth per sample). */
  memory: { rssBytes: number; heapUsedBytes: number };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ns = (netns: string) => (netns === "" ? null : netns);

export function liveJson(r: LiveRound) {
  const states: Record<string, number> = {};
  for (const s of r.samples)
    for (const [state, n] of Object.entries(s.states)) states[state] = (states[state] ?? 0) + n;
  return {
    schema: `sockdoc.live/v${SCHEMA_VERSION}`,
    at: iso(Math.max(0, ...r.samples.map((s) => s.at))),
    sample: r.sample,
    intervalMs: r.intervalMs,
    hostname: r.hostname,
    readMs: Math.max(0, ...r.samples.map((s) => s.readMs)),
    watcher: r.memory,
    states,
    namespaces: r.samples.map((s) => ({ netns: ns(s.netns), states: s.states })),
    closeWait: r.samples.flatMap((s) =>
      s.closeWait.map((g) => ({ netns: ns(s.netns), ...g, firstSeen: iso(g.firstSeen) })),
    ),
    timeWait: r.samples.flatMap((s) => s.timeWait.map((d) => ({ netns: ns(s.netns), ...d }))),
    findings: r.samples.flatMap((s) => s.findings.map((f) => ({ netns: ns(s.netns), ...f }))),
    events: r.events.map((e) => ({ time: iso(e.at), netns: ns(e.netns), kind: e.kind, text: e.text })),
  };
}
