/**
 * @module The few statistics the bench reports (pure): median, and whether a
 * cost grows linearly with the number of sockets.
 */

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Linearity {
  /** ms per 1,000 sockets at each size. */
  msPer1k: number[];
  /** ms per 1,000 added sockets between successive sizes. */
  marginalMsPer1k: number[];
  /** Largest marginal cost over the smallest, minus one (0.1 = 10% apart). */
  spread: number;
  linear: boolean;
}

/**
 * Linear growth means a fixed start-up cost plus a constant cost per socket:
 * the cost of each added 1,000 sockets must agree within `tolerance` between
 * successive sizes. (Plain ms per 1k would call a fixed start-up cost
 * non-linear.)
 */
export function linearity(sizes: number[], ms: number[], tolerance = 0.25): Linearity {
  const msPer1k = sizes.map((size, i) => ms[i]! / (size / 1000));
  const marginalMsPer1k: number[] = [];
  for (let i = 1; i < sizes.length; i++) {
    marginalMsPer1k.push((ms[i]! - ms[i - 1]!) / ((sizes[i]! - sizes[i - 1]!) / 1000));
  }
  if (marginalMsPer1k.length === 0) return { msPer1k, marginalMsPer1k, spread: 0, linear: true };
  const lo = Math.min(...marginalMsPer1k);
  const hi = Math.max(...marginalMsPer1k);
  const spread = lo > 0 ? hi / lo - 1 : Number.POSITIVE_INFINITY;
  return { msPer1k, marginalMsPer1k, spread, linear: spread <= tolerance };
}
