/**
 * @module `metrics --listen`: the metrics route on the HTTP server, until
 * the process is stopped.
 */
import { announce } from "./announce.js";
import type { ListenAddress } from "./listen-address.js";
import { metricsRoute } from "./metrics-route.js";
import { buildApp } from "./routes.js";
import { DEFAULT_LIMITS, type ServerLimits, startHttpServer } from "./server.js";

export async function serveMetrics(
  address: ListenAddress,
  render: () => Promise<string>,
  limits: Partial<ServerLimits> = {},
): Promise<never> {
  const app = buildApp([metricsRoute(render)]);
  const server = await startHttpServer(app, address, { ...DEFAULT_LIMITS, ...limits });
  announce(server, "metrics", "/metrics");
  return new Promise<never>(() => {});
}
