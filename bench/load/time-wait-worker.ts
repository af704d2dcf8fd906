/**
 * @module One-shot TIME_WAIT maker in Node, the fallback for time-wait-maker.cc
 * when g++ is missing (about 8x slower). Run inside the bench namespace, it listens
 * on its own ports, connects `count` times to them over several 127.0.0.x
 * destinations, and closes each client first, so the client side ends in
 * TIME_WAIT. It exits when done: TIME_WAIT sockets need no process.
 */
import { performance } from "node:perf_hooks";
import { connectLoop, listen } from "./connect-loop.js";
import { fail, LISTEN_HOST, send, workerArgs } from "./protocol.js";

export interface TimeWaitSettings {
  ports: number[];
  hosts: string[];
  count: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const s = workerArgs<TimeWaitSettings>();
  const t0 = performance.now();
  // The server side reads the client's FIN and closes (allowHalfOpen false),
  // which moves the client from FIN_WAIT_2 to TIME_WAIT.
  const servers = await Promise.all(
    s.ports.map((port) =>
      listen(port, LISTEN_HOST, { allowHalfOpen: false }, (socket) => {
        socket.on("error", () => {});
        socket.resume();
      }),
    ),
  );
  const targets = s.hosts.flatMap((host) => s.ports.map((port) => ({ host, port })));
  await connectLoop({
    count: s.count,
    concurrency: s.concurrency,
    targets,
    handle(socket, release) {
      socket.on("connect", () => socket.end());
      socket.on("close", release);
      socket.resume();
    },
    onProgress: (done) => send({ type: "progress", done }),
  });
  for (const server of servers) server.close();
  send({ type: "ready", held: s.count, ms: Math.round(performance.now() - t0) });
  process.exit(0);
}

main().catch(fail);
