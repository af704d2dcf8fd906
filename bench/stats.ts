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
  /** How much the marginal cost rose from one step to the next, at most (0.1 = 10%); 0 when it fell. */
  rise: number;
  linear: boolean;
}

/**
 * "Grows linearly" means no worse than a fixed start-up cost plus a constant
 * cost per socket: the cost of each added 1,000 sockets may not rise by more
 * than `tolerance` from one size to the next. A cost that rises less than
 * that (start-up and kernel work dominating) passes; a quadratic one fails.
 * (Plain ms per 1k would call a fixed start-up cost non-linear.)
 */
export function linearity(sizes: number[], ms: number[], tolerance = 0.25): Linearity {
  const msPer1k = sizes.map((size, i) => ms[i]! / (size / 1000));
  const marginalMsPer1k: number[] = [];
  for (let i = 1; i < sizes.length; i++) {
    marginalMsPer1k.push((ms[i]! - ms[i - 1]!) / ((sizes[i]! - sizes[i - 1]!) / 1000));
  }
  let rise = 0;
  for (let i = 1; i < marginalMsPer1k.length; i++) {
    // A step that cost nothing (or less: noise) makes any later cost look like a rise;
    // compare against the average cost per socket instead.
    const before = Math.max(marginalMsPer1k[i - 1]!, msPer1k[i]!);
    rise = Math.max(rise, marginalMsPer1k[i]! / before - 1);
  }
  return { msPer1k, marginalMsPer1k, rise, linear: rise <= tolerance };
}
