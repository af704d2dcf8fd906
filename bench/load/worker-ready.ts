/**
 * @module Waits for a load worker to say it is ready, passing its progress on
 * and turning an error, an early exit or a timeout into one clear Error.
 */
import type { NsProcess } from "../ns-process.js";
import type { WorkerMessage } from "./protocol.js";

export interface Ready {
  held: number;
  ms: number;
}

export function waitReady(
  worker: NsProcess,
  timeoutMs: number,
  onProgress: (done: number) => void = () => {},
): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const failWith = (why: string): void => {
      clearTimeout(timer);
      const tail = worker.stderrTail();
      reject(new Error(`${worker.name}: ${why}${tail ? ` (${tail.split("\n").pop()})` : ""}`));
    };
    const timer = setTimeout(() => failWith(`not ready after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    worker.onMessage((raw) => {
      const message = raw as unknown as WorkerMessage;
      if (message.type === "progress") onProgress(message.done);
      else if (message.type === "error") failWith(message.message);
      else if (message.type === "ready") {
        clearTimeout(timer);
        resolve({ held: message.held, ms: message.ms });
      }
    });
    worker.child.once("exit", (code, signal) =>
      failWith(`exited (${signal ?? `code ${code}`}) before ready`),
    );
  });
}

/** Resolves once the process has exited (a one-shot worker's listeners are closed then). */
export function waitExit(worker: NsProcess): Promise<void> {
  const child = worker.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}
