/**
 * @module The TIME_WAIT report: destinations (grouping.ts) with their port
 * budget, current rate and forecast (forecast.ts), reuse (reuse.ts),
 * severity and note. Its shape is the JSON payload of `sockdoc timewait`.
 */
import type { TcpSocket } from "../../model/socket.js";
import { closeRate, rateSpanMs, secondsUntilExhausted, sustainableRate, TIME_WAIT_MS } from "./forecast.js";
import { groupTimeWait } from "./group-sockets.js";
import type { Direction, GroupEnd, Grouping, TimeWaitGroup } from "./grouping.js";
import { incomingNote, outgoingNote, REMEDY } from "./note.js";
import { reuseFor } from "./reuse.js";
import type { TimeWaitSettings } from "./settings.js";
import { bucketSeverity, maxSeverity, outgoingSeverity, type Severity } from "./severity.js";

export interface Destination {
  direction: Direction;
  local: GroupEnd;
  remote: GroupEnd;
  count: number;
  remainingMs: { min: number | null; max: number | null };
  /** Outgoing: TIME_WAIT plus other sockets on the triple; null for incoming. */
  portsInUse: number | null;
  portsLeft: number | null;
  /** New TIME_WAIT per second over the window; null when no timer was read. */
  ratePerSec: number | null;
  /** Outgoing: the steady rate the destination sustains. */
  sustainablePerSec: number | null;
  /** Outgoing: seconds until connect() fails at the current rate (0: already); null: not on this course. */
  exhaustedInSec: number | null;
  /** tcp_tw_reuse applies to this destination. */
  reuse: boolean;
  severity: Severity;
  note: string;
  /** What to do, for flagged outgoing destinations that tcp_tw_reuse does not cover; else null. */
  remedy: string | null;
}

export interface TimeWaitReport {
  /** TIME_WAIT sockets reported (after the filter). */
  total: number;
  outgoing: number;
  incoming: number;
  windowSec: number;
  settings: {
    portRange: [number, number];
    reservedPorts: number;
    /** Listening ports inside the range: bound, so connect() skips them. */
    listenPorts: number;
    /** Ports connect() may pick toward one destination: range - reserved - listening. */
    budget: number;
    twReuse: number | null;
    twReuseDelayMs: number;
    tcpTimestamps: number | null;
    maxTwBuckets: number | null;
  };
  /** Every TIME_WAIT socket read (before the filter) against tcp_max_tw_buckets. */
  buckets: { used: number; max: number | null; severity: Severity; note: string | null };
  /** Most TIME_WAIT first. */
  destinations: Destination[];
  /** Highest severity of any destination or the buckets. */
  severity: Severity;
  /** TIME_WAIT timers over 60 s: counted, left out of the rates (overlongTimerWarning says why); null when none. */
  overlongTimers: { count: number; longestMs: number } | null;
}

export interface ReportInput {
  sockets: readonly TcpSocket[];
  settings: TimeWaitSettings;
  /** Rate window, seconds (1..60). */
  windowSec: number;
  matches?: (s: TcpSocket) => boolean;
}

export function buildTimeWaitReport(input: ReportInput): TimeWaitReport {
  const grouping = groupTimeWait({
    sockets: input.sockets,
    portRange: input.settings.portRange,
    reserved: input.settings.reserved,
    ...(input.matches ? { matches: input.matches } : {}),
  });
  return reportFromGrouping(grouping, input.settings, input.windowSec);
}

/** The report from destinations already grouped (e.g. streamed into a TimeWaitGrouper). */
export function reportFromGrouping(
  grouping: Grouping,
  settings: TimeWaitSettings,
  windowSec: number,
): TimeWaitReport {
  const [lo, hi] = settings.portRange;
  const budget = Math.max(0, hi - lo + 1 - settings.reservedPorts - grouping.listenPortsInRange);
  const destinations = grouping.groups.map((g) => destination(g, settings, budget, windowSec));
  destinations.sort((a, b) => b.count - a.count || (b.portsInUse ?? 0) - (a.portsInUse ?? 0));
  const buckets = bucketsOf(grouping.timeWaitRead, settings.maxTwBuckets);
  let outgoing = 0;
  for (const d of destinations) if (d.direction === "outgoing") outgoing += d.count;
  const total = destinations.reduce((n, d) => n + d.count, 0);
  return {
    total,
    outgoing,
    incoming: total - outgoing,
    windowSec,
    settings: {
      portRange: [lo, hi],
      reservedPorts: settings.reservedPorts,
      listenPorts: grouping.listenPortsInRange,
      budget,
      twReuse: settings.twReuse,
      twReuseDelayMs: settings.twReuseDelayMs,
      tcpTimestamps: settings.timestamps,
      maxTwBuckets: settings.maxTwBuckets,
    },
    buckets,
    destinations,
    severity: maxSeverity([buckets.severity, ...destinations.map((d) => d.severity)]) ?? "info",
    overlongTimers:
      grouping.longestTimerMs === null
        ? null
        : { count: grouping.overlongTimers, longestMs: grouping.longestTimerMs },
  };
}

function destination(
  g: TimeWaitGroup,
  settings: TimeWaitSettings,
  budget: number,
  windowSec: number,
): Destination {
  const ratePerSec = g.remainingMs.length > 0 ? closeRate(g.remainingMs, windowSec * 1000) : null;
  if (g.direction === "incoming") {
    return made(g, ratePerSec, null, null, null, null, false, "info", incomingNote(g.local.port));
  }
  const reuse = reuseFor(settings, g.local.address, g.remote.address);
  const holdMs = reuse.applies ? settings.twReuseDelayMs : TIME_WAIT_MS;
  const portsInUse = g.count + g.otherInUse;
  const sustainablePerSec = sustainableRate(budget, g.otherInUse, holdMs);
  const exhaustedInSec = secondsUntilExhausted({
    budget,
    otherInUse: g.otherInUse,
    remainingMs: g.remainingMs,
    ratePerSec: ratePerSec ?? 0,
    holdMs,
  });
  const facts = { budget, portsInUse, ratePerSec, sustainablePerSec, exhaustedInSec, reuse: reuse.applies };
  const severity = outgoingSeverity(facts);
  // Spelled out: spreading facts and then overriding its reuse key made V8 build slow
  // dictionary-mode objects, a measurable cost with thousands of destinations.
  const note = outgoingNote({
    severity,
    budget,
    portsInUse,
    ratePerSec,
    // The closes may span less than the window (they started inside it): say what the rate is over.
    windowSec: round(rateSpanMs(g.remainingMs, windowSec * 1000) / 1000, 10),
    sustainablePerSec,
    exhaustedInSec,
    otherInUse: g.otherInUse,
    reuse,
    reuseDelayMs: settings.twReuseDelayMs,
  });
  // Never rounded to 0, which means "already".
  const eta =
    exhaustedInSec === null || exhaustedInSec === 0
      ? exhaustedInSec
      : Math.max(0.1, round(exhaustedInSec, 10));
  return made(
    g,
    ratePerSec,
    portsInUse,
    budget,
    round(sustainablePerSec, 10),
    eta,
    reuse.applies,
    severity,
    note,
    severity !== "info" && !reuse.applies ? REMEDY : null,
  );
}

/** One literal with every field, in the JSON order (no spread: this runs once per destination). */
function made(
  g: TimeWaitGroup,
  ratePerSec: number | null,
  portsInUse: number | null,
  budget: number | null,
  sustainablePerSec: number | null,
  exhaustedInSec: number | null,
  reuse: boolean,
  severity: Severity,
  note: string,
  remedy: string | null = null,
): Destination {
  return {
    local: g.local,
    remote: g.remote,
    direction: g.direction,
    count: g.count,
    remainingMs: { min: g.minRemainingMs, max: g.maxRemainingMs },
    portsInUse,
    portsLeft: portsInUse === null || budget === null ? null : Math.max(0, budget - portsInUse),
    ratePerSec: ratePerSec === null ? null : round(ratePerSec, 100),
    sustainablePerSec,
    exhaustedInSec,
    reuse,
    severity,
    note,
    remedy,
  };
}

function round(n: number, per: number): number {
  return Math.round(n * per) / per;
}

function bucketsOf(used: number, max: number | null): TimeWaitReport["buckets"] {
  const severity = bucketSeverity(used, max);
  let note: string | null = null;
  if (severity !== "info" && max !== null) {
    note =
      used >= max
        ? `TIME_WAIT is at tcp_max_tw_buckets (${max}): the kernel now closes sockets without TIME_WAIT ` +
          `("time wait bucket table overflow", TcpExt TCPTimeWaitOverflow); late segments of old ` +
          "connections may then reach new ones."
        : `TIME_WAIT uses ${Math.round((100 * used) / max)}% of tcp_max_tw_buckets (${max}); past it the ` +
          "kernel skips TIME_WAIT for new closes.";
  }
  return { used, max, severity, note };
}
