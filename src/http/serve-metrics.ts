/**
 * @module `metrics --listen`: the metrics route on the HTTP server, until
 * the process is stopped. Says where it listens, and warns when that is
 * beyond this host: socket and process names are not for everyone.
 */
import { isLoopbackAddress } from "./bind-scope.js";
import { hostPort, type ListenAddress } from "./listen-address.js";
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
  const where = hostPort(server.host, server.port);
  process.stderr.write(`sockdoc: serving metrics on http://${where}/metrics\n`);
  if (!isLoopbackAddress(server.host)) {
    process.stderr.write(
      `sockdoc: warning: ${where} is reachable from other hosts, which can then read socket ` +
        "addresses and process names; listen on 127.0.0.1 unless that is meant\n",
    );
  }
  return new Promise<never>(() => {});
}
