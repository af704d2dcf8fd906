/**
 * @module The forecast from one snapshot. Every TIME_WAIT socket lives
 * exactly 60 s (TCP_TIMEWAIT_LEN), so its age is 60 s minus its time left,
 * and the sockets younger than N seconds tell how many connections closed in
 * the last N seconds: that is the current rate (over less than N seconds
 * when the closes started inside the window: see rateSpanMs). Replaying the next minute at
 * that rate (new sockets arrive, the existing ones expire at their known
 * times) gives the moment the destination's ports run out, if ever. At a
 * steady rate this is always within one hold time or never, because after
 * that the count settles at rate × hold.
 */

export const TIME_WAIT_MS = 60_000;

/** Closes spread over less than this give no span to measure a rate over: the window is kept. */
const MIN_SPAN_MS = 1000;

/**
 * The time the rate is measured over: the window, or, when no socket is
 * older than the window and their ages spread over a second or more (a
 * stream of closes that started inside it, as when a deploy or a batch job
 * began seconds ago), the age of the oldest one plus the mean gap between
 * them (the time before the first close, by the same estimate). A burst
 * (every socket of one age) keeps the window.
 * Dividing n by the whole window there would understate the rate: 600
 * closes in the last 3 s are 200/s, not 60/s over a 10 s window, and the
 * forecast made from 60/s came 3x too late (measured with
 * `sockdoc lab time-wait`).
 */
export function rateSpanMs(remainingMs: readonly number[], windowMs: number): number {
  const youngest = TIME_WAIT_MS - windowMs;
  let n = 0;
  let oldestAge = 0;
  let youngestAge = TIME_WAIT_MS;
  for (let i = 0; i < remainingMs.length; i++) {
    const r = remainingMs[i]!;
    if (r < youngest) return windowMs; // the closes go back beyond the window
    n++;
    oldestAge = Math.max(oldestAge, TIME_WAIT_MS - r);
    youngestAge = Math.min(youngestAge, TIME_WAIT_MS - r);
  }
  // Closes spread over under a second (a burst, all at one instant): no stream to measure.
  if (n === 0 || oldestAge - youngestAge < MIN_SPAN_MS) return windowMs;
  return Math.min(windowMs, (oldestAge * (n + 1)) / n);
}

/** New TIME_WAIT sockets per second over the last windowMs (their age is at most windowMs), or less: rateSpanMs. */
export function closeRate(remainingMs: readonly number[], windowMs: number): number {
  const youngest = TIME_WAIT_MS - windowMs;
  let n = 0;
  for (let i = 0; i < remainingMs.length; i++) if (remainingMs[i]! >= youngest) n++;
  return n / (rateSpanMs(remainingMs, windowMs) / 1000);
}

export interface ForecastInput {
  /** Ports connect() may use toward this destination. */
  budget: number;
  /** Ports held by sockets in other states toward it (they stay). */
  otherInUse: number;
  /** Time left of each TIME_WAIT socket toward it, in ms. */
  remainingMs: readonly number[];
  ratePerSec: number;
  /**
   * How long a TIME_WAIT socket blocks its port: the whole 60 s, or with
   * tcp_tw_reuse only until it is tcp_tw_reuse_delay old.
   */
  holdMs: number;
}

/** Seconds until the ports in use reach the budget at a steady rate: 0 when already, null when never. */
export function secondsUntilExhausted(input: ForecastInput): number | null {
  const { budget, otherInUse: base, ratePerSec: rate } = input;
  const hold = Math.min(input.holdMs, TIME_WAIT_MS);
  const shift = TIME_WAIT_MS - hold;
  const remaining = input.remainingMs;
  let n = 0;
  for (let i = 0; i < remaining.length; i++) if (remaining[i]! > shift) n++;
  if (base + n >= budget) return 0;
  // The count never exceeds what is held now plus a whole hold time of new sockets.
  if (!(rate > 0) || base + n + (rate * hold) / 1000 < budget) return null;
  // How many existing sockets stop blocking their port at each millisecond from now: a
  // counting sort, since the times are whole milliseconds below one minute.
  const holdMs = Math.ceil(hold);
  const ends = new Int32Array(holdMs + 1);
  for (let i = 0; i < remaining.length; i++) {
    const r = remaining[i]!;
    if (r > shift) ends[Math.min(Math.ceil(r - shift), holdMs)]!++;
  }
  // Between two expiries the count only grows (rate × t), so it crosses the budget
  // inside the first interval whose end reaches it.
  let expired = 0;
  let from = 0;
  for (let t = 1; t <= holdMs; t++) {
    const ending = ends[t]!;
    if (ending === 0 && t < holdMs) continue;
    const need = budget - base - (n - expired);
    if ((rate * t) / 1000 >= need) return Math.max(from, (1000 * need) / rate) / 1000;
    expired += ending;
    from = t;
  }
  return null;
}

/** Largest steady rate (per second) this destination sustains without running out. */
export function sustainableRate(budget: number, otherInUse: number, holdMs: number): number {
  return Math.max(0, budget - otherInUse) / (Math.min(holdMs, TIME_WAIT_MS) / 1000);
}
