/**
 * @module The kernel's HZ (jiffies per second), which the BPF tcp iterator
 * needs to turn a timer's jiffies into milliseconds. The kernel does not
 * publish it, but its jiffies counter starts at 2^32 - 300 × HZ at boot (it
 * wraps five minutes in, on purpose), so the counter and the monotonic clock
 * read together (/proc/timer_list prints both) tell HZ once the host has
 * been up a while; before that, two readings 100 ms apart do. Pure but for
 * hzOfThisKernel.
 */
import { readFileSync } from "node:fs";

/** HZ values kernels are built with (x86 and arm64 offer the first four). */
const COMMON_HZ = [100, 250, 300, 1000];
const OTHER_HZ = [24, 32, 48, 64, 128, 200, 256, 500, 512, 1024, 1200];
const INITIAL_OFFSET = 2 ** 32;
/** Seconds of uptime past the wrap point from which one reading is exact enough. */
const ONE_READING_AFTER_S = 600;

export interface TimerListReading {
  jiffies: number;
  /** The monotonic clock, in ns. */
  nowNs: number;
}

/** The jiffies and the clock from /proc/timer_list's text; null when it has neither. */
export function parseTimerList(text: string): TimerListReading | null {
  const now = /^now at (\d+) nsecs$/m.exec(text);
  const jiffies = /^jiffies: (\d+)$/m.exec(text);
  if (!now || !jiffies) return null;
  return { jiffies: Number(jiffies[1]), nowNs: Number(now[1]) };
}

/** The known HZ within 1% of estimate, or null. */
function nearest(estimate: number, candidates: readonly number[]): number | null {
  for (const hz of candidates) if (Math.abs(estimate - hz) <= hz / 100) return hz;
  return null;
}

/** HZ from one reading (jiffies = 2^32 + HZ × (uptime - 300 s)); null too soon after boot. */
export function hzFromOneReading(r: TimerListReading): number | null {
  const past = r.nowNs / 1e9 - 300;
  if (past < ONE_READING_AFTER_S) return null;
  return nearest((r.jiffies - INITIAL_OFFSET) / past, [...COMMON_HZ, ...OTHER_HZ]);
}

/** HZ from two readings some 100 ms apart: one of the common values (a tick either way is 10%). */
export function hzFromTwoReadings(a: TimerListReading, b: TimerListReading): number | null {
  const seconds = (b.nowNs - a.nowNs) / 1e9;
  if (seconds < 0.05) return null;
  const estimate = (b.jiffies - a.jiffies) / seconds;
  for (const hz of COMMON_HZ) if (Math.abs(estimate - hz) <= hz * 0.15) return hz;
  return null;
}

function read(): TimerListReading | null {
  return parseTimerList(readFileSync("/proc/timer_list", "latin1"));
}

/** This kernel's HZ, or why it cannot be told (root only: /proc/timer_list). */
export function hzOfThisKernel(): { hz: number } | { missing: string } {
  let first: TimerListReading | null;
  try {
    first = read();
  } catch (err) {
    return {
      missing: `HZ (/proc/timer_list: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    };
  }
  if (first === null) return { missing: "HZ (/proc/timer_list has no jiffies)" };
  const hz = hzFromOneReading(first);
  if (hz !== null) return { hz };
  // Soon after boot: wait a tenth of a second (once per process) and read again.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  const second = read();
  const measured = second && hzFromTwoReadings(first, second);
  return measured ? { hz: measured } : { missing: "HZ (the jiffies do not match a known HZ)" };
}
