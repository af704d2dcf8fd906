/**
 * @module The close-wait lab: starts a defective loopback server, connects
 * clients that half-close, waits until the server's sockets show the chosen
 * cause, and hands back what an operator (or a test) needs to look at it.
 * stop() closes the clients and the server; calling it twice is harmless.
 */
import { isIPv6 } from "node:net";
import type { Cause } from "../../../analysis/close-wait/types.js";
import { UsageError } from "../../../model/errors.js";
import { expectedRecvQ, recipeFor } from "./causes.js";
import { ClientPool } from "./clients.js";
import { type ServerProcess, startServer, stopServer } from "./server-process.js";
import { waitForCause } from "./wait-state.js";

export const MAX_LAB_COUNT = 5000;

export interface LabOptions {
  cause: string;
  count: number;
  /** 0: let the kernel pick a free port. */
  port: number;
  host: "127.0.0.1" | "::1";
}

export interface LabReady {
  lab: "close-wait";
  cause: Cause;
  defect: string;
  server: string;
  serverPid: number;
  clientPid: number;
  host: string;
  port: number;
  count: number;
  recvQ: number;
}

export interface RunningLab {
  ready: LabReady;
  /** Resolves when the server exits on its own (it should not). */
  serverExited: Promise<number | null>;
  /**
   * Leaks one more connection (for --every: growth to watch). Resolves once it
   * has half-closed; for not-accepted past a full queue it never connects.
   */
  addClient(): Promise<void>;
  stop(): Promise<void>;
}

export function checkLabOptions(o: LabOptions, somaxconn: number | null): void {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > MAX_LAB_COUNT) {
    throw new UsageError(`--count wants a whole number from 1 to ${MAX_LAB_COUNT}, not "${o.count}"`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new UsageError(`--port wants a port number from 1 to 65535 (or 0 for any), not "${o.port}"`);
  }
  // The accept queue is capped at net.core.somaxconn; more would never connect.
  if (o.cause === "not-accepted" && somaxconn !== null && o.count > somaxconn + 1) {
    throw new UsageError(`--count ${o.count} exceeds net.core.somaxconn (${somaxconn}) for not-accepted`);
  }
}

export async function startCloseWaitLab(o: LabOptions): Promise<RunningLab> {
  const recipe = recipeFor(o.cause);
  const server: ServerProcess = await startServer(recipe, o.host, o.port, o.count);
  const serverExited = new Promise<number | null>((resolve) =>
    server.child.once("exit", (code) => resolve(code)),
  );
  const pool = new ClientPool(o.host, server.port, recipe.payload);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    pool.close();
    await stopServer(server);
  };
  try {
    const clients = await pool.connectMany(o.count);
    const recvQ = expectedRecvQ(recipe);
    await waitForCause({
      family: isIPv6(o.host) ? 6 : 4,
      serverPort: server.port,
      clientPorts: new Set(clients.map((c) => c.localPort ?? 0)),
      cause: recipe.cause,
      recvQ,
    });
    const addClient = async () => {
      if (stopped || pool.size >= MAX_LAB_COUNT) return;
      await pool.connectOne();
    };
    return {
      addClient,
      ready: {
        lab: "close-wait",
        cause: recipe.cause,
        defect: recipe.defect,
        server: server.program,
        serverPid: server.pid,
        clientPid: process.pid,
        host: o.host,
        port: server.port,
        count: clients.length,
        recvQ,
      },
      serverExited,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
