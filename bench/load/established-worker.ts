/**
 * @module ESTABLISHED pairs, run inside the bench namespace: it connects to
 * itself `count` times and holds both ends open (2 fds per pair).
 */
import type net from "node:net";
import { performance } from "node:perf_hooks";
import { connectLoop, listen } from "./connect-loop.js";
import { exitWithBench, fail, LISTEN_HOST, send, workerArgs } from "./protocol.js";

export interface EstablishedSettings {
  port: number;
  count: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const s = workerArgs<EstablishedSettings>();
  exitWithBench();
  const t0 = performance.now();
  const servers: net.Socket[] = [];
  const clients: net.Socket[] = [];
  let clientsDone = false;
  const maybeReady = (): void => {
    if (clientsDone && servers.length === s.count) {
      send({ type: "ready", held: servers.length, ms: Math.round(performance.now() - t0) });
    }
  };
  await listen(s.port, LISTEN_HOST, { pauseOnConnect: true }, (socket) => {
    socket.on("error", () => {});
    servers.push(socket);
    maybeReady();
  });
  await connectLoop({
    count: s.count,
    concurrency: s.concurrency,
    targets: [{ host: "127.0.0.1", port: s.port }],
    handle(socket, release) {
      socket.on("connect", () => {
        clients.push(socket);
        release();
      });
    },
    onProgress: (done) => send({ type: "progress", done }),
  });
  clientsDone = true;
  maybeReady();
}

main().catch(fail);
