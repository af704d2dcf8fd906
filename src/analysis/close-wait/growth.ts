/**
 * @module Growth and forecast per holder: how fast its CLOSE_WAIT count
 * grows (least-squares slope over the samples, per minute) and, since each
 * held socket is an open fd, when the process reaches its open-files limit.
 */
import type { HolderHistory } from "./tracker.js";

export interface Growth {
  samples: number;
  /** Seconds between the first and the last sample of this holder. */
  windowSeconds: number;
  /** Sockets that appeared during the watch. */
  new: number;
  /** Sockets that went away during the watch. */
  gone: number;
  /** Age of the oldest socket present now, counted from when sockdoc first saw it (a lower bound). */
  oldestSeenSeconds: number | null;
  /** CLOSE_WAIT sockets gained per minute; null with fewer than two samples. */
  perMinute: number | null;
  /** Seconds until the open-files limit at this rate; null when not growing or unknown. */
  limitEtaSeconds: number | null;
}

/** Least-squares slope of count over time, in sockets per minute. */
export function slopePerMinute(series: ReadonlyArray<readonly [number, number]>): number | null {
  if (series.length < 2) return null;
  const n = series.length;
  const t0 = series[0]?.[0] ?? 0;
  let sx = 0;
  let sy = 0;
  for (const [t, c] of series) {
    sx += (t - t0) / 60000;
    sy += c;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [t, c] of series) {
    const dx = (t - t0) / 60000 - mx;
    num += dx * (c - my);
    den += dx * dx;
  }
  return den === 0 ? null : num / den;
}

/**
 * Seconds until fdCount reaches fdLimit at perMinute new fds; 0 when already
 * there; null when the limit is unknown or the count is not growing.
 */
export function limitEta(
  perMinute: number | null,
  fdCount: number | null,
  fdLimit: number | null,
): number | null {
  if (fdCount === null || fdLimit === null) return null;
  if (fdCount >= fdLimit) return 0;
  if (perMinute === null || perMinute <= 0) return null;
  return Math.round(((fdLimit - fdCount) / perMinute) * 60);
}

export function growthOf(
  h: HolderHistory,
  now: number,
  fd: { count: number | null; limit: number | null } | null,
): Growth {
  const first = h.series[0]?.[0] ?? now;
  const perMinute = slopePerMinute(h.series);
  return {
    samples: h.series.length,
    windowSeconds: Math.round((now - first) / 1000),
    new: h.added,
    gone: h.gone,
    oldestSeenSeconds: h.oldestFirstSeen === null ? null : Math.round((now - h.oldestFirstSeen) / 1000),
    perMinute: perMinute === null ? null : Math.round(perMinute * 10) / 10,
    limitEtaSeconds: fd ? limitEta(perMinute, fd.count, fd.limit) : null,
  };
}
