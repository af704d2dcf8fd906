/**
 * @module Progress lines on stderr (building the load takes a while), with
 * the time since the bench started; stdout stays for the report.
 */
import { performance } from "node:perf_hooks";

let quiet = false;
let lastThrottled = 0;

export function setQuiet(value: boolean): void {
  quiet = value;
}

export function progress(message: string): void {
  if (quiet) return;
  const seconds = (performance.now() / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds} s] ${message}\n`);
}

/** Like progress, but at most one line a second (for counters). */
export function progressThrottled(message: string): void {
  const now = performance.now();
  if (now - lastThrottled < 1000) return;
  lastThrottled = now;
  progress(message);
}

export const thousands = (n: number): string => n.toLocaleString("en-US");
