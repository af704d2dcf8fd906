/**
 * @module Checks a value against what the kernel accepts for a known setting
 * (known-settings.ts), and compares values the way the kernel means them
 * ("0x20" is 32, "32768\t60999" is "32768 60999"). Pure.
 */
import { parsePortRange, parseReservedPorts } from "../time-wait/ports.js";
import { DEFAULT_UNPRIVILEGED_PORT_START, INT32_MAX, INT32_MIN, knownSetting } from "./known-settings.js";

export interface ValueContext {
  /** net.ipv4.ip_unprivileged_port_start: ip_local_port_range may not start below it. */
  unprivilegedPortStart?: number;
}

/** The kernel reads integers with base detection: decimal, 0x hex, leading-0 octal. */
export function parseKernelInt(text: string): number | null {
  const t = text.trim();
  let n: number;
  if (/^-?0x[0-9a-f]+$/i.test(t))
    n = (t.startsWith("-") ? -1 : 1) * Number.parseInt(t.replace(/^-?0x/i, ""), 16);
  else if (/^-?0[0-7]+$/.test(t))
    n = (t.startsWith("-") ? -1 : 1) * Number.parseInt(t.replace(/^-?0/, ""), 8);
  else if (/^-?0\d+$/.test(t))
    return null; // not octal: the kernel refuses it
  else if (/^-?\d+$/.test(t)) n = Number(t);
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Why the kernel would refuse value for name (EINVAL), in a few words; null
 * when it would take it or name is not known (the kernel then decides).
 */
export function valueProblem(name: string, value: string, ctx: ValueContext = {}): string | null {
  const spec = knownSetting(name);
  if (!spec) return null;
  if (spec.kind === "int") {
    const n = parseKernelInt(value);
    if (n === null) return `wants a whole number, not "${value}"`;
    const min = Math.max(spec.min ?? INT32_MIN, INT32_MIN);
    const max = Math.min(spec.max ?? INT32_MAX, INT32_MAX);
    if (n < min || n > max) return `wants a number from ${min} to ${max}, not ${value.trim()}`;
    return null;
  }
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
  if (spec.kind === "int") {
    const n = parseKernelInt(value);
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

const WORDS = { int: 1, "port-range": 2, "port-list": 1 } as const;

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
