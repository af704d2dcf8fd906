/**
 * @module --interval / --count / --watch: how many CLOSE_WAIT samples to
 * take and how far apart (inspect/watch.ts takes them).
 */
import { UsageError } from "../../model/errors.js";

export interface SamplingPlan {
  /** Samples to take; null: until stopped (--watch without --count). */
  count: number | null;
  intervalMs: number;
  watch: boolean;
}

export const DEFAULT_INTERVAL_S = 5;

export function planSampling(opts: { interval?: string; count?: string; watch?: boolean }): SamplingPlan {
  let intervalS = DEFAULT_INTERVAL_S;
  if (opts.interval !== undefined) {
    intervalS = Number(opts.interval);
    if (!Number.isFinite(intervalS) || intervalS < 0.1 || intervalS > 3600) {
      throw new UsageError(`--interval wants seconds from 0.1 to 3600, not "${opts.interval}"`);
    }
  }
  let count: number | null = opts.watch ? null : opts.interval !== undefined ? 2 : 1;
  if (opts.count !== undefined) {
    count = Number(opts.count);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) {
      throw new UsageError(`--count wants a whole number from 1 to 100000, not "${opts.count}"`);
    }
  }
  return { count, intervalMs: Math.round(intervalS * 1000), watch: Boolean(opts.watch) };
}
