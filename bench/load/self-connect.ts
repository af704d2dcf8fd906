/**
 * @module What the CLOSE_WAIT and ESTABLISHED workers share: listen on the
 * bench port, connect to it `count` times, keep every accepted socket, and
 * say "ready" once both sides are done. Each worker only says what its
 * client side does with a connection.
 */
import type net from "node:net";
import { performance } from "node:perf_hooks";
import { connectLoop, listen } from "./connect-loop.js";
import { exitWithBench, LISTEN_HOST, send, workerArgs } from "./protocol.js";

export interface SelfConnectSettings {
  port: number;
  count: number;
  concurrency: number;
}

export interface SelfConnectPlan {
  /** net.Server options of the accepting side (pauseOnConnect, allowHalfOpen...). */
  server: net.ServerOpts;
  /** What the client side does with one connection; release() when its slot may be reused. */
  client(socket: net.Socket, release: () => void): void;
}

export async function runSelfConnect(plan: SelfConnectPlan): Promise<void> {
  const s = workerArgs<SelfConnectSettings>();
  exitWithBench();
  const t0 = performance.now();
  const held: net.Socket[] = [];
  let clientsDone = false;
  const maybeReady = (): void => {
    if (clientsDone && held.length === s.count) {
      send({ type: "ready", held: held.length, ms: Math.round(performance.now() - t0) });
    }
  };
  await listen(s.port, LISTEN_HOST, plan.server, (socket) => {
    socket.on("error", () => {});
    held.push(socket);
    maybeReady();
  });
  await connectLoop({
    count: s.count,
    concurrency: s.concurrency,
    targets: [{ host: "127.0.0.1", port: s.port }],
    handle: plan.client,
    onProgress: (done) => send({ type: "progress", done }),
  });
  clientsDone = true;
  maybeReady();
}
