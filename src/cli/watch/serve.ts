/**
 * @module `watch --listen`: the dashboard's server beside the watch loop.
 * The loop publishes each round it wrote (the live feed keeps only the
 * latest, and /metrics renders it when asked); the /api routes read the
 * watcher's own database connection (same thread, so never mid-write).
 * close() ends the live streams and the server before the db closes.
 */
import type Database from "better-sqlite3";
import { announce } from "../../http/announce.js";
import { dashboardRoutes } from "../../http/dashboard-routes.js";
import { LiveFeed } from "../../http/live-feed.js";
import type { ListenAddress } from "../../http/listen-address.js";
import { buildApp } from "../../http/routes.js";
import { DEFAULT_LIMITS, startHttpServer } from "../../http/server.js";
import { type LiveRound, liveJson } from "../../report/live.js";
import type { StoreEvent } from "../../store/events.js";
import { guarded } from "../../store/open.js";
import { type RoundPart, roundMetrics } from "./metrics.js";

/** How long the ended live streams get to flush before the server closes every connection. */
const STREAM_END_GRACE_MS = 100;

export interface DashboardHandle {
  publish(
    parts: RoundPart[],
    events: StoreEvent[],
    about: Omit<LiveRound, "samples" | "events" | "memory">,
  ): void;
  close(): Promise<void>;
}

export async function serveDashboard(
  address: ListenAddress,
  opts: { file: string; db: Database.Database; maxConnections: number },
): Promise<DashboardHandle> {
  const feed = new LiveFeed<unknown>();
  let parts: RoundPart[] = [];
  let metrics: string | null = null;
  const routes = dashboardRoutes({
    file: opts.file,
    read: (fn) => guarded(opts.file, () => fn(opts.db)),
    feed,
    metrics: () => (parts.length === 0 ? null : (metrics ??= roundMetrics(parts))),
  });
  const server = await startHttpServer(buildApp(routes), address, {
    ...DEFAULT_LIMITS,
    maxConnections: opts.maxConnections,
  });
  announce(server, "the dashboard", "/");
  return {
    publish(next, events, about) {
      parts = next;
      metrics = null;
      const m = process.memoryUsage();
      const memory = { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
      const round: LiveRound = { ...about, samples: next.map((p) => p.sample), events, memory };
      feed.publish(round, JSON.stringify(liveJson(round)));
    },
    async close() {
      // The live streams end first, each with its last chunk (a moment to flush), then the server.
      feed.close();
      await new Promise((resolve) => setTimeout(resolve, STREAM_END_GRACE_MS));
      await server.close();
    },
  };
}
