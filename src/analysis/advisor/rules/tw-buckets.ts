/**
 * @module Rule: net.ipv4.tcp_max_tw_buckets, the cap on TIME_WAIT sockets
 * (per network namespace). Past it the kernel closes connections without
 * TIME_WAIT, counts them in TcpExt.TCPTimeWaitOverflow and logs "TCP: time
 * wait bucket table overflow"; a late segment of such a connection can then
 * land in a new one on the same ports.
 */
import { applyCommand } from "../apply-command.js";
import { counter, intSetting } from "../facts.js";
import type { AdvisorInput, Finding } from "../types.js";

const NAME = "net.ipv4.tcp_max_tw_buckets";
/** Share of the cap at which TIME_WAIT counts as near it (as in `sockdoc timewait`). */
const NEAR_SHARE = 0.8;
const FLOOR = 262144;

/** Twice the cap or twice the TIME_WAIT count, whichever is larger, rounded up to a power of two. */
export function suggestedBuckets(max: number, timeWait: number): number {
  const want = Math.max(2 * Math.max(max, 0), 2 * timeWait, FLOOR);
  return 2 ** Math.ceil(Math.log2(want));
}

export function twBucketsRule(input: AdvisorInput): Finding[] {
  const max = intSetting(input, NAME);
  if (max === null) return [];
  const overflow = counter(input, "TcpExt.TCPTimeWaitOverflow") ?? 0;
  const timeWait = input.facts.timeWait ?? null;
  const near = timeWait !== null && timeWait >= max * NEAR_SHARE;
  if (overflow === 0 && !near) return [];
  const recommended = String(suggestedBuckets(max, timeWait ?? 0));
  const parts: string[] = [];
  if (overflow > 0) {
    parts.push(
      `${overflow} connections skipped TIME_WAIT because the table was full ` +
        `(TcpExt.TCPTimeWaitOverflow, counted since boot in this network namespace).`,
    );
  }
  if (timeWait !== null) {
    parts.push(`${timeWait} TIME_WAIT sockets now against a cap of ${max}.`);
  }
  parts.push(
    "Past the cap the kernel closes without TIME_WAIT, so a late segment of an old connection can " +
      "corrupt a new one on the same ports. Each TIME_WAIT socket costs a few hundred bytes of kernel " +
      `memory; ${recommended} leaves room.`,
  );
  return [
    {
      id: overflow > 0 ? "tw-buckets-overflow" : "tw-buckets-near",
      severity: "warning",
      setting: NAME,
      current: input.sysctls[NAME] ?? null,
      recommended,
      why: parts.join(" "),
      command: applyCommand([[NAME, recommended]]),
    },
  ];
}
