/**
 * @module Opens many loopback connections with a bounded number in flight,
 * so the listener's accept queue never overflows (no SYN cookies, no drops).
 */
import net from "node:net";

export interface Target {
  host: string;
  port: number;
}

export interface ConnectLoopOptions {
  count: number;
  concurrency: number;
  /** Used round-robin, so the 4-tuples spread over every target. */
  targets: Target[];
  /** Set up the socket; call release() when its slot may be reused. */
  handle(socket: net.Socket, release: () => void): void;
  onProgress?(done: number): void;
}

const PROGRESS_EVERY = 5000;

/** Resolves when count connections have been released; rejects on the first error. */
export function connectLoop(options: ConnectLoopOptions): Promise<void> {
  const { count, concurrency, targets } = options;
  return new Promise((resolve, reject) => {
    if (count <= 0) {
      resolve();
      return;
    }
    let started = 0;
    let finished = 0;
    let failed = false;
    const next = (): void => {
      if (failed || started >= count) return;
      const target = targets[started % targets.length]!;
      started++;
      const socket = net.connect({ host: target.host, port: target.port });
      let released = false;
      socket.on("error", (err) => {
        if (released) return;
        failed = true;
        reject(new Error(`connect ${target.host}:${target.port}: ${err.message}`));
      });
      options.handle(socket, () => {
        if (released) return;
        released = true;
        finished++;
        if (finished % PROGRESS_EVERY === 0) options.onProgress?.(finished);
        if (finished === count) resolve();
        else next();
      });
    };
    for (let i = 0; i < Math.min(concurrency, count); i++) next();
  });
}

/** A listener with a deep backlog; resolves once it is bound. */
export function listen(
  port: number,
  host: string,
  options: net.ServerOpts,
  onConnection: (socket: net.Socket) => void,
): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(options, onConnection);
    server.once("error", reject);
    server.listen({ port, host, backlog: 65535 }, () => resolve(server));
  });
}
