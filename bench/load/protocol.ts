/**
 * @module The line protocol between the bench and the processes it starts in
 * the namespace: each worker gets its settings as one JSON argument and
 * answers with one JSON object per stdout line.
 */

/** What a load worker says on stdout. */
export type WorkerMessage =
  | { type: "ready"; held: number; ms: number }
  | { type: "progress"; done: number }
  | { type: "error"; message: string };

/** Listening address shared by every worker: all of 127.0.0.0/8 reaches it. */
export const LISTEN_HOST = "0.0.0.0";

export function send(message: WorkerMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** The worker's settings, passed by the bench as argv[2]. */
export function workerArgs<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("missing JSON settings argument");
  return JSON.parse(raw) as T;
}

/** Report a fatal error on the protocol, then exit non-zero. */
export function fail(error: unknown): never {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

/**
 * Exit when the bench goes away: its end of our stdin closes even when it is
 * killed with SIGKILL, so no worker outlives it. "keep" on stdin (sent for
 * --keep) makes the worker stay for inspection instead.
 */
export function exitWithBench(): void {
  let keep = false;
  process.stdout.on("error", () => {});
  process.stdin.on("data", (chunk: Buffer) => {
    if (chunk.toString("latin1").includes("keep")) keep = true;
  });
  process.stdin.on("end", () => {
    if (!keep) process.exit(0);
  });
}
