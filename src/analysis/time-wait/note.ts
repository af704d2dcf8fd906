/**
 * @module The one-paragraph note on each destination: what the numbers mean
 * for connect() and, when it matters, what to do about it.
 */
import type { Severity } from "./severity.js";

/** "0.4", "12", "470": one decimal below 10, whole numbers above. */
export function formatRate(perSec: number): string {
  // Whole numbers round down: "sustains 470/s" must not promise the 471st.
  return perSec < 10 ? String(Math.round(perSec * 10) / 10) : String(Math.floor(perSec));
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${Math.round(s * 10) / 10} s` : `${Math.round(s)} s`;
}

/** The warning for TIME_WAIT timers over 60 s (report.overlongTimers). */
export function overlongTimerWarning(o: { count: number; longestMs: number }): string {
  const n = o.count === 1 ? "1 TIME_WAIT timer is" : `${o.count} TIME_WAIT timers are`;
  return (
    `${n} over 60 s (up to ${formatSeconds(o.longestMs / 1000)}), which Linux never sets (TIME_WAIT lasts ` +
    "exactly 60 s): a clock or capture anomaly, or not a Linux host; they are left out of the close rates"
  );
}

/** What to do about a flagged outgoing destination without reuse (said once per report in the table). */
export const REMEDY =
  "Keep connections open and reuse them (keep-alive, a pool); or set net.ipv4.tcp_tw_reuse=1 " +
  "(outgoing connections only, needs TCP timestamps); or widen net.ipv4.ip_local_port_range; " +
  "or spread the load over more destination addresses or ports.";

export interface OutgoingNoteFacts {
  severity: Severity;
  budget: number;
  portsInUse: number;
  ratePerSec: number | null;
  windowSec: number;
  sustainablePerSec: number;
  exhaustedInSec: number | null;
  otherInUse: number;
  reuse: { applies: boolean; why: string };
  reuseDelayMs: number;
}

export function outgoingNote(f: OutgoingNoteFacts): string {
  const left = Math.max(0, f.budget - f.portsInUse);
  const rate = f.ratePerSec === null ? null : `${formatRate(f.ratePerSec)}/s over the last ${f.windowSec} s`;
  const limit = `this destination sustains ${formatRate(f.sustainablePerSec)}/s`;
  const parts: string[] = [];
  if (f.exhaustedInSec === 0) {
    parts.push(
      `All ${f.budget} usable ports toward this destination are held: connect() fails now with ` +
        `EADDRNOTAVAIL ("Cannot assign requested address").`,
    );
  } else if (f.exhaustedInSec !== null) {
    parts.push(
      `At ${rate ?? "the current rate"} the ${left} free ports run out in ${formatSeconds(f.exhaustedInSec)}; ` +
        `connect() then fails with EADDRNOTAVAIL until TIME_WAIT sockets expire (${limit}).`,
    );
  } else if (f.reuse.applies) {
    parts.push(
      `${f.reuse.why}: connect() may take over a port whose TIME_WAIT is older than ` +
        `${formatSeconds(f.reuseDelayMs / 1000)} when both ends use TCP timestamps, so exhaustion is ` +
        `unlikely (it would take ${formatRate(f.sustainablePerSec)} new connections/s).`,
    );
  } else if (rate === null) {
    parts.push(`No timers were read, so no rate; ${limit}.`);
  } else {
    const ports =
      f.otherInUse > 0
        ? `${f.budget - f.otherInUse} ports not held by open connections`
        : `${f.budget} ports`;
    parts.push(`${rate}; ${limit} (${ports} / 60 s): not on this course.`);
  }
  if (f.severity !== "info" && f.exhaustedInSec === null) {
    parts.push(`${Math.round((100 * f.portsInUse) / Math.max(1, f.budget))}% of the ports are in use.`);
  }
  if (!f.reuse.applies && f.severity !== "info") parts.push(`(${f.reuse.why}.)`);
  return parts.join(" ");
}

export function incomingNote(localPort: number | null): string {
  return (
    `This host closed first as the server${localPort === null ? "" : ` on port ${localPort}`}: ` +
    "TIME_WAIT here costs a little memory, not ports (the ports in use are the clients'). " +
    "Usual for servers that close first (HTTP/1.0, Connection: close, idle timeouts)."
  );
}
