/**
 * @module Rule: CLOSE_WAIT. No sysctl fixes it: the peer closed, and the
 * local application has not called close(). No kernel timer ends the state,
 * and TCP keepalive does not release the socket either (the fd stays open
 * until the application closes it), so tuning tcp_keepalive_* or
 * tcp_fin_timeout is not the fix. Fix the application, or clear them now.
 */
import { intSetting } from "../facts.js";
import type { AdvisorInput, Finding } from "../types.js";

const KEEPALIVE = "net.ipv4.tcp_keepalive_time";
const CRITICAL_AT = 1000;

export function closeWaitRule(input: AdvisorInput): Finding[] {
  const n = input.facts.closeWait ?? 0;
  if (n === 0) return [];
  const keepalive = intSetting(input, KEEPALIVE);
  const tuned = keepalive !== null && keepalive < 7200 ? ` (even at tcp_keepalive_time ${keepalive})` : "";
  return [
    {
      id: "close-wait-no-sysctl",
      severity: n >= CRITICAL_AT ? "critical" : "warning",
      setting: null,
      current: null,
      recommended: null,
      why:
        `${n} CLOSE_WAIT socket${n === 1 ? "" : "s"}: the peer closed and the application has not ` +
        "called close(). No sysctl ends CLOSE_WAIT: no kernel timer closes it, keepalive does not " +
        `release it${tuned}, and tcp_fin_timeout is about FIN_WAIT_2. Fix the application (close the ` +
        "socket on EOF and on errors; `sockdoc closewait` shows who holds them and why), or close " +
        "them now without a restart with `sockdoc kill state close-wait` (a dry run first).",
      command: "sockdoc kill state close-wait",
    },
  ];
}
