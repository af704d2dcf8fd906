/**
 * @module Summarises a process's threads by state letter and wait channel,
 * so a stuck process shows at a glance (all threads asleep in the same
 * place, or some in uninterruptible D sleep).
 */
import type { ThreadFacts } from "./types.js";

export interface ThreadBucket {
  state: string;
  /** Kernel function the threads wait in; "" when running or not reported. */
  wchan: string;
  count: number;
  /** Up to three thread names, to show which code path is waiting. */
  names: string[];
}

export interface ThreadSummary {
  total: number;
  buckets: ThreadBucket[];
  /** Threads in D (uninterruptible) state: blocked in the kernel, usually on I/O. */
  blocked: number;
  /** Plain-words reading of the buckets, or null when nothing stands out. */
  note: string | null;
}

const STATE_WORDS: Record<string, string> = {
  R: "running",
  S: "sleeping",
  D: "blocked in the kernel (uninterruptible)",
  T: "stopped",
  t: "stopped by a debugger",
  Z: "zombie",
  I: "idle",
};

export function stateWord(letter: string): string {
  return STATE_WORDS[letter] ?? letter;
}

/** "0" is what the kernel prints for a running thread's wchan. */
function cleanWchan(w: string | null): string {
  return w === null || w === "0" ? "" : w.trim();
}

function noteFor(total: number, blocked: number, buckets: ThreadBucket[]): string | null {
  if (total === 0) return null;
  if (blocked > 0)
    return `${blocked} of ${total} threads blocked in the kernel (D state): stuck on I/O or a lock`;
  const stopped = buckets.filter((b) => b.state === "T" || b.state === "t").reduce((n, b) => n + b.count, 0);
  if (stopped > 0) return `${stopped} of ${total} threads stopped (SIGSTOP or a debugger): nothing runs`;
  if (buckets.some((b) => b.state === "R")) return null;
  const top = buckets[0];
  if (top?.wchan && total > 1 && top.count === total) {
    return `all ${total} threads wait in ${top.wchan}: check whether they wait for each other`;
  }
  return null;
}

export function summarizeThreads(threads: readonly ThreadFacts[]): ThreadSummary {
  const byKey = new Map<string, ThreadBucket>();
  let blocked = 0;
  for (const t of threads) {
    const wchan = cleanWchan(t.wchan);
    if (t.state === "D") blocked++;
    const key = `${t.state}\0${wchan}`;
    let b = byKey.get(key);
    if (!b) {
      b = { state: t.state, wchan, count: 0, names: [] };
      byKey.set(key, b);
    }
    b.count++;
    if (b.names.length < 3 && !b.names.includes(t.name)) b.names.push(t.name);
  }
  const buckets = [...byKey.values()].sort(
    (a, b) => b.count - a.count || a.state.localeCompare(b.state) || a.wchan.localeCompare(b.wchan),
  );
  return { total: threads.length, buckets, blocked, note: noteFor(threads.length, blocked, buckets) };
}

const SHORT_STATE: Record<string, string> = {
  R: "running",
  S: "sleeping",
  D: "blocked (D)",
  T: "stopped",
  t: "traced",
  Z: "zombie",
  I: "idle",
};

/** "12: 10 sleeping in futex_wait_queue, 2 running" (the largest buckets first). */
export function threadLine(summary: ThreadSummary, maxBuckets = 4): string {
  const parts = summary.buckets
    .slice(0, maxBuckets)
    .map((b) => `${b.count} ${SHORT_STATE[b.state] ?? b.state}${b.wchan ? ` in ${b.wchan}` : ""}`);
  const rest = summary.buckets.length - maxBuckets;
  if (rest > 0) parts.push(`${rest} more kind${rest === 1 ? "" : "s"}`);
  return `${summary.total}: ${parts.join(", ")}`;
}
