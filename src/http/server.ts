/**
 * @module Starts and stops sockdoc's HTTP server: a hono app on
 * @hono/node-server, bound to one address, with the limits that keep it
 * answering under load (a connection cap, header and idle timeouts).
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { UsageError } from "../model/errors.js";
import { capConnections, DEFAULT_MAX_CONNECTIONS } from "./connection-cap.js";

export interface ServerLimits {
  /** Open connections at most; past it idle ones are closed first. */
  maxConnections: number;
  /** A client has this long to send its request headers (a silent connection is closed after it). */
  headersTimeoutMs: number;
  /** ... and this long for the whole request (not the answer: a slow scrape is not cut). */
  requestTimeoutMs: number;
  /** A kept-alive connection with no new request is closed after this. */
  keepAliveTimeoutMs: number;
}

/**
 * Node checks the header and request deadlines on a timer, which runs late
 * while a scrape blocks the event loop; a client whose request was accepted
 * but not yet read then gets a 408 once the scrape ends. (The bench saw one
 * in 50 concurrent `metrics -p` scrapes at 5 s.) 10 s is Prometheus's default
 * scrape timeout: a request kept waiting longer has been given up anyway.
 */
export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
};

export interface RunningServer {
  /** The address actually bound (a hostname resolved, port 0 chosen). */
  host: string;
  port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

export function startHttpServer(
  app: Hono,
  bind: { host: string; port: number },
  limits: ServerLimits = DEFAULT_LIMITS,
): Promise<RunningServer> {
  const server = createAdaptorServer({
    fetch: app.fetch,
    // Leave the process's global Request and Response alone.
    overrideGlobalObjects: false,
    serverOptions: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two request timeouts this often (default 30 s, which
      // would let a silent connection stay for half a minute).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
  }) as Server;
  capConnections(server, limits.maxConnections);
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${bind.host}:${bind.port}: ${err.code ?? err.message}`)),
    );
    server.listen(bind.port, bind.host, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      resolve({
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
