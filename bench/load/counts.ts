/**
 * @module Socket counts in the namespace (pure): per-state counts from
 * /proc/net/tcp text, the orphan count from /proc/net/sockstat, and the check
 * of both against what the load should have made.
 */
import type { LoadPlan, Mix } from "./plan.js";

/** Kernel state numbers (include/net/tcp_states.h) to the names used here. */
const STATE_NAMES: Record<string, string> = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
};

export type StateCounts = Record<string, number>;

/** Adds the states of one /proc/net/tcp or tcp6 text to `into`. */
export function countProcNetTcp(text: string, into: StateCounts = {}): StateCounts {
  let start = text.indexOf("\n") + 1; // skip the header line
  while (start > 0 && start < text.length) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end < 0 ? text.length : end);
    // "  sl: local rem st ..." : the state is the 4th field.
    const fields = line.trim().split(/\s+/, 4);
    const st = fields[3];
    if (st !== undefined) {
      const name = STATE_NAMES[st] ?? `STATE_${st}`;
      into[name] = (into[name] ?? 0) + 1;
    }
    start = end < 0 ? -1 : end + 1;
  }
  return into;
}

/** The "TCP:" line of /proc/net/sockstat as numbers (inuse, orphan, tw, alloc, mem). */
export function parseSockstat(text: string): Record<string, number> {
  const line = text.split("\n").find((l) => l.startsWith("TCP:")) ?? "";
  const out: Record<string, number> = {};
  const words = line.slice(4).trim().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i += 2) out[words[i]!] = Number(words[i + 1]);
  return out;
}

/** What a fully built load shows. */
export function expectedCounts(mix: Mix, plan: LoadPlan): StateCounts {
  const expected: StateCounts = {
    TIME_WAIT: mix.tw,
    CLOSE_WAIT: mix.cw,
    FIN_WAIT2: mix.cw,
    ESTABLISHED: 2 * mix.estab,
    LISTEN: plan.listeners,
  };
  return expected;
}

export function total(counts: StateCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Lines describing each state whose count is off by more than `tolerance`
 * (a fraction) or that should not be there at all; empty when all is well.
 */
export function countProblems(actual: StateCounts, expected: StateCounts, tolerance = 0.01): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const name of names) {
    const want = expected[name] ?? 0;
    const got = actual[name] ?? 0;
    // A few sockets in passing states are normal; demand exactness only at scale.
    const slack = Math.max(5, Math.ceil(want * tolerance));
    if (Math.abs(got - want) > slack) problems.push(`${name} ${got} (expected ${want})`);
  }
  return problems;
}
