/**
 * @module `metrics --listen`: an HTTP endpoint for Prometheus. Every GET of
 * /metrics takes a fresh scrape; anything else is 404. Binds loopback unless
 * told otherwise, since socket and process names are not for everyone.
 */
import { createServer } from "node:http";
import { UsageError } from "../../model/errors.js";
import { PROMETHEUS_CONTENT_TYPE } from "../../render/prometheus.js";

export interface ListenAddress {
  host: string;
  port: number;
}

/** "9923", ":9923", "127.0.0.1:9923", "[::1]:9923", "0.0.0.0:9923"; host defaults to 127.0.0.1. */
export function parseListen(text: string): ListenAddress {
  const t = text.trim();
  const m = /^\d{1,5}$/.test(t)
    ? [t, undefined, undefined, t]
    : /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new UsageError(`--listen wants [HOST:]PORT (e.g. 127.0.0.1:9923), not "${text}"`);
  }
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

/** Serves until the process is stopped; each request body comes from render(). */
export function serveMetrics(address: ListenAddress, render: () => Promise<string>): Promise<never> {
  return new Promise((_, reject) => {
    const server = createServer(async (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" || path !== "/metrics") {
        res.writeHead(404, { "content-type": "text/plain" }).end("sockdoc: only GET /metrics\n");
        return;
      }
      try {
        const body = await render();
        res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE }).end(body);
      } catch (err) {
        const message = (err as Error).message;
        process.stderr.write(`sockdoc: warning: scrape failed: ${message}\n`);
        res.writeHead(500, { "content-type": "text/plain" }).end(`sockdoc: scrape failed: ${message}\n`);
      }
    });
    server.on("error", (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${address.host}:${address.port}: ${err.code ?? err.message}`)),
    );
    server.listen(address.port, address.host, () => {
      const bound = server.address();
      const port = typeof bound === "object" && bound ? bound.port : address.port;
      const host = address.host.includes(":") ? `[${address.host}]` : address.host;
      process.stderr.write(`sockdoc: serving metrics on http://${host}:${port}/metrics\n`);
    });
  });
}
