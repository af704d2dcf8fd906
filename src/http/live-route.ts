/**
 * @module GET /api/stream: Server-Sent Events, one `sample` event per round
 * the watcher writes (the latest one first, on connect). Past the feed's
 * client cap a newcomer gets 503 and polls instead. HEAD answers the headers
 * without joining the feed.
 */
import { streamSSE } from "hono/streaming";
import type { LiveFeed } from "./live-feed.js";
import type { Route } from "./routes.js";

export function liveRoute(feed: LiveFeed<unknown>): Route {
  return {
    path: "/api/stream",
    description: "Server-Sent Events: each new sample as it is written",
    get(c) {
      if (c.req.method === "HEAD") return c.body(null, 200, { "Content-Type": "text/event-stream" });
      if (feed.clientCount >= feed.maxClients)
        return c.text("sockdoc: too many live clients; poll /api/live instead\n", 503, {
          "Retry-After": "15",
        });
      return streamSSE(c, async (stream) => {
        let finish: () => void = () => {};
        const done = new Promise<void>((resolve) => (finish = resolve));
        const leave = feed.subscribe({
          send: (json) => void stream.writeSSE({ event: "sample", data: json }).catch(finish),
          end: finish,
        });
        if (!leave) {
          await stream.writeSSE({ event: "full", data: "too many live clients: poll /api/live" });
          return;
        }
        stream.onAbort(finish);
        const latest = feed.latest();
        if (latest) await stream.writeSSE({ event: "sample", data: latest.json });
        await done;
        leave();
      });
    },
  };
}
