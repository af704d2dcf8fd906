/**
 * @module Checks a value against what the kernel accepts for a known setting
 * (known-settings.ts), and compares values the way the kernel means them
 * ("0x20" is 32, "32768\t60999" is "32768 60999"). Pure.
 */
import { parsePortRange, parseReservedPorts } from "../time-wait/ports.js";
import {
  DEFAULT_UNPRIVILEGED_PORT_START,
  INT32_MAX,
  INT32_MIN,
  type KnownSetting,
  knownSetting,
  LONG_MAX,
} from "./known-settings.js";

export interface ValueContext {
  /** net.ipv4.ip_unprivileged_port_start: ip_local_port_range may not start below it. */
  unprivilegedPortStart?: number;
}

/**
 * The kernel reads integers with base detection: decimal, 0x hex, leading-0
 * octal. Exact at any size (an unsigned long does not fit a double).
 */
export function parseKernelBigInt(text: string): bigint | null {
  const t = text.trim();
  const sign = t.startsWith("-") ? -1n : 1n;
  const digits = t.replace(/^-/, "");
  if (/^0x[0-9a-f]+$/i.test(digits)) return sign * BigInt(digits);
  if (/^0[0-7]+$/.test(digits)) return sign * BigInt(`0o${digits.slice(1)}`);
  if (/^0\d+$/.test(digits)) return null; // not octal: the kernel refuses it
  if (/^\d+$/.test(digits)) return sign * BigInt(digits);
  return null;
}

/** parseKernelBigInt as a number; null when it is not one or beyond a double's exact range. */
export function parseKernelInt(text: string): number | null {
  const n = parseKernelBigInt(text);
  if (n === null) return null;
  const value = Number(n);
  return Number.isSafeInteger(value) ? value : null;
}

/** Why a jiffies value may be refused: its limit is INT_MAX / HZ. */
const JIFFIES_NOTE =
  "; it is kept in jiffies, so the kernel refuses more than INT_MAX / HZ seconds " +
  "(2147483 at HZ=1000; the exact limit depends on HZ)";

function intProblem(spec: KnownSetting, value: string): string | null {
  const n = parseKernelInt(value);
  if (n === null) return `wants a whole number, not "${value}"`;
  const min = Math.max(spec.min ?? INT32_MIN, INT32_MIN);
  const max = Math.min(spec.max ?? INT32_MAX, INT32_MAX);
  if (n >= min && n <= max) return null;
  return `wants a number from ${min} to ${max}, not ${value.trim()}${spec.jiffies ? JIFFIES_NOTE : ""}`;
}

function ulongProblem(value: string): string | null {
  const n = parseKernelBigInt(value);
  if (n === null) return `wants a whole number, not "${value}"`;
  return n < 0n || n > LONG_MAX ? `wants a number from 0 to ${LONG_MAX}, not ${value.trim()}` : null;
}

/**
 * Why the kernel would refuse value for name (EINVAL), in a few words; null
 * when it would take it or name is not known (the kernel then decides).
 */
export function valueProblem(name: string, value: string, ctx: ValueContext = {}): string | null {
  const spec = knownSetting(name);
  if (!spec) return null;
  if (spec.kind === "int") return intProblem(spec, value);
  if (spec.kind === "ulong") return ulongProblem(value);
  if (spec.kind === "port-range") {
    const parts = value.trim().split(/\s+/);
    if (parts.length !== 2) return `wants two ports "LOW HIGH", not "${value}"`;
    const range = parsePortRange(value);
    if (!range) return `wants two ports from 1 to 65535, LOW <= HIGH, not "${value}"`;
    if (range[0] < 1) return "ports start at 1";
    const floor = ctx.unprivilegedPortStart ?? DEFAULT_UNPRIVILEGED_PORT_START;
    if (range[0] < floor) {
      return `may not start below net.ipv4.ip_unprivileged_port_start (${floor}); ${range[0]} is refused`;
    }
    return null;
  }
  if (parseReservedPorts(value) === null)
    return `wants ports and LOW-HIGH ranges separated by commas, not "${value}"`;
  return null;
}

/** The value as the kernel would hold it, for comparisons (unknown names: whitespace collapsed). */
export function normalizeValue(name: string, value: string): string {
  const spec = knownSetting(name);
  const collapsed = value.trim().split(/\s+/).join(" ");
  if (!spec) return collapsed;
  if (spec.kind === "int" || spec.kind === "ulong") {
    const n = parseKernelBigInt(value);
    return n === null ? collapsed : String(n);
  }
  if (spec.kind === "port-list") {
    const ranges = parseReservedPorts(value);
    return ranges === null
      ? collapsed
      : ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");
  }
  return collapsed;
}

export function sameValue(name: string, a: string, b: string): boolean {
  return normalizeValue(name, a) === normalizeValue(name, b);
}

const WORDS = { int: 1, ulong: 1, "port-range": 2, "port-list": 1 } as const;

/**
 * The part of a config value the kernel reads: it takes the numbers it
 * wants and ignores what follows ("30 # comment" sets 30). Unknown names: all of it.
 */
export function usedValue(name: string, value: string): { used: string; trailing: boolean } {
  const spec = knownSetting(name);
  const words = value.split(/\s+/).filter(Boolean);
  if (!spec) return { used: value.trim(), trailing: false };
  return { used: words.slice(0, WORDS[spec.kind]).join(" "), trailing: words.length > WORDS[spec.kind] };
}
