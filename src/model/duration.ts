/**
 * @module Durations as people write them on a command line: 90s, 30m, 2h,
 * 14d (a bare number is seconds).
 */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** Milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] || "s"]!;
  return ms > 0 && Number.isFinite(ms) ? ms : null;
}
