/**
 * @module GET /metrics: one scrape per request, in the Prometheus text
 * format; scrapes that arrive while one runs share it. A failed scrape is a
 * 500 with one line (and a warning on stderr); the next one starts afresh.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { singleFlight } from "../inspect/single-flight.js";
import { PROMETHEUS_CONTENT_TYPE } from "../render/prometheus.js";
import { firstLine, type Route } from "./routes.js";

export function metricsRoute(
  render: () => Promise<string>,
  description = "Prometheus metrics (a fresh scrape per request)",
): Route {
  const shared = singleFlight(async () => {
    // Requests already received in this turn of the event loop join this
    // scrape before it starts (a render that blocks would otherwise run
    // once per request).
    await nextTurn();
    return render();
  });
  return {
    path: "/metrics",
    description,
    async get(c) {
      try {
        return c.body(await shared(), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE });
      } catch (err) {
        const message = firstLine(err instanceof Error ? err.message : String(err));
        process.stderr.write(`sockdoc: warning: scrape failed: ${message}\n`);
        return c.text(`sockdoc: scrape failed: ${message}\n`, 500);
      }
    },
  };
}
