/**
 * @module Raw-socket helpers for the HTTP tests: what a client sees on the
 * wire, and connections that never send a byte.
 */
import { connect, type Socket } from "node:net";

/** Sends `request` as is and returns everything the server wrote until it closed. */
export function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

export interface IdleConnection {
  socket: Socket;
  /** ms from connect until the server closed it; null while open. */
  closedAfterMs: number | null;
}

/** Opens `count` connections to 127.0.0.1:port that send nothing; resolves once all are connected. */
export async function openIdle(port: number, count: number): Promise<IdleConnection[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<IdleConnection>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1");
          const idle: IdleConnection = { socket, closedAfterMs: null };
          let t0 = 0;
          socket.once("connect", () => {
            t0 = performance.now();
            resolve(idle);
          });
          // Drained, so that the server's end (after a 408, say) is seen;
          // a reset or a close both count as the server letting go.
          socket.resume();
          socket.on("error", () => {});
          socket.once("close", () => {
            idle.closedAfterMs = performance.now() - t0;
          });
          socket.once("error", reject);
        }),
    ),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` holds, checking every 50 ms, for at most `ms`. */
export async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (!done() && performance.now() < until) await sleep(50);
  return done();
}
