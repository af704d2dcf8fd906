/**
 * @module CLOSE_WAIT holder, run inside the bench namespace: it connects to
 * itself `count` times and closes each client at once, while its server side
 * accepts and never closes. Result: `count` CLOSE_WAIT sockets owned by this
 * process, and as many FIN_WAIT_2 orphans on the client side (no owner).
 */
import type net from "node:net";
import { performance } from "node:perf_hooks";
import { connectLoop, listen } from "./connect-loop.js";
import { exitWithBench, fail, LISTEN_HOST, send, workerArgs } from "./protocol.js";

export interface CloseWaitSettings {
  port: number;
  count: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const s = workerArgs<CloseWaitSettings>();
  exitWithBench();
  const t0 = performance.now();
  const held: net.Socket[] = [];
  let clientsDone = false;
  const maybeReady = (): void => {
    if (clientsDone && held.length === s.count) {
      send({ type: "ready", held: held.length, ms: Math.round(performance.now() - t0) });
    }
  };
  // pauseOnConnect: the FIN is never read, like an application stuck elsewhere
  // (Recv-Q 1); allowHalfOpen: Node must not close on the peer's FIN.
  await listen(s.port, LISTEN_HOST, { allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    socket.on("error", () => {});
    held.push(socket);
    maybeReady();
  });
  await connectLoop({
    count: s.count,
    concurrency: s.concurrency,
    targets: [{ host: "127.0.0.1", port: s.port }],
    handle(socket, release) {
      socket.on("connect", () => socket.destroy());
      socket.on("close", release);
    },
    onProgress: (done) => send({ type: "progress", done }),
  });
  clientsDone = true;
  maybeReady();
}

main().catch(fail);
