/**
 * @module The routes of `watch --listen`: the dashboard page and its files,
 * /metrics from the watcher's latest sample (no inspection of its own), the
 * /api JSON read from the history database (history's names where they
 * overlap) and the live stream. One app, one server, the same limits as
 * `metrics --listen`.
 */
import type { Context } from "hono";
import { historyJson } from "../report/history/json.js";
import { parseDuration } from "../model/duration.js";
import type { History } from "../store/history.js";
import { readHistory } from "../store/reader.js";
import { readTimeline } from "../store/timeline.js";
import type Database from "better-sqlite3";
import { dashboardAssets } from "../web/assets.js";
import { dashboardHtml } from "../web/page.js";
import type { LiveFeed } from "./live-feed.js";
import { liveRoute } from "./live-route.js";
import { metricsRoute } from "./metrics-route.js";
import type { Route } from "./routes.js";

export interface DashboardSources {
  /** The database's path, as history names it. */
  file: string;
  /** Runs a read on the watcher's database (errors become one line). */
  read<T>(fn: (db: Database.Database) => T): T;
  feed: LiveFeed<unknown>;
  /** The Prometheus text of the latest sample; null before the first. */
  metrics(): string | null;
}

/** The window when ?since= is not given. */
const DEFAULT_SINCE = "1h";

function sinceOf(c: Context): number | Response {
  const text = c.req.query("since") ?? DEFAULT_SINCE;
  const ms = parseDuration(text);
  if (ms === null)
    return c.json({ error: `since wants a duration such as 30m, 2h or 3d, not "${text}"` }, 400);
  return ms;
}

export function dashboardRoutes(src: DashboardSources): Route[] {
  const page = dashboardHtml();
  const history = (c: Context, pick: (doc: ReturnType<typeof historyJson>, h: History) => unknown) => {
    const since = sinceOf(c);
    if (since instanceof Response) return since;
    const h = src.read((db) => readHistory(db, since));
    return c.json(pick(historyJson(src.file, h, []), h));
  };
  const json = (path: string, description: string, get: Route["get"]): Route => ({ path, description, get });
  return [
    { path: "/", description: "the dashboard", get: (c) => c.html(page) },
    ...dashboardAssets().map((a): Route => ({
      path: a.path,
      description: "a file of the dashboard",
      get: (c) => c.body(a.body, 200, { "Content-Type": a.type, "Cache-Control": "max-age=300" }),
    })),
    metricsRoute(async () => {
      const text = src.metrics();
      if (text === null) throw new Error("no sample yet");
      return text;
    }, "Prometheus metrics of the latest sample"),
    json("/api/live", "the latest sample: states, CLOSE_WAIT groups, TIME_WAIT, findings", (c) => {
      const latest = src.feed.latest();
      return latest
        ? c.body(latest.json, 200, { "Content-Type": "application/json" })
        : c.json({ error: "no sample yet" }, 503);
    }),
    json("/api/summary", "the database's window, samples, state peaks; this process's memory", (c) =>
      history(c, (doc) => {
        const m = process.memoryUsage();
        return {
          schema: doc.schema,
          db: doc.db,
          host: doc.host,
          from: doc.from,
          to: doc.to,
          rawSamples: doc.rawSamples,
          states: doc.states,
          watcher: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, liveClients: src.feed.clientCount },
        };
      }),
    ),
    json("/api/timeline", "?since=1h: states and CLOSE_WAIT groups over time", (c) => {
      const since = sinceOf(c);
      if (since instanceof Response) return since;
      return c.json(src.read((db) => readTimeline(db, since)));
    }),
    json("/api/history", "?since=1h: everything `history --json` says", (c) => history(c, (doc) => doc)),
    json("/api/closewait", "?since=: CLOSE_WAIT groups (first seen, peak, now)", (c) =>
      history(c, (doc) => ({ closeWait: doc.closeWait })),
    ),
    json("/api/timewait", "?since=: TIME_WAIT peaks per destination", (c) =>
      history(c, (doc) => ({ timeWait: doc.timeWait })),
    ),
    json("/api/events", "?since=: the events", (c) => history(c, (doc) => ({ events: doc.events }))),
    json("/api/findings", "?since=: the advisor's findings", (c) =>
      history(c, (doc) => ({ findings: doc.findings })),
    ),
    liveRoute(src.feed),
  ];
}
