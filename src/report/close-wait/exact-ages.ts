/**
 * @module closewait's "time in CLOSE_WAIT" section, from a running
 * watcher's tracer: one line per socket, "exact" or "at least".
 */
import type { SocketAge } from "../../analysis/close-wait/exact-ages.js";
import { terminalSafeCell } from "../../render/terminal-safe.js";

const MAX_LINES = 20;

/** "12.3 s", "4 min 05 s", "2 h 03 min 05 s": to the second, since the time is exact. */
function preciseDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)} min ${two(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${two(Math.floor(s / 60) % 60)} min ${two(s % 60)} s`;
}

function age(a: SocketAge): string {
  const text = preciseDuration(a.seconds);
  return a.exact ? `${text} exact` : `at least ${text}`;
}

export function exactAgesText(ages: readonly SocketAge[], watcherPid: number, since: number): string {
  const lines = [
    `Time in CLOSE_WAIT (traced by sockdoc watch, pid ${watcherPid}, since ${new Date(since).toISOString()}):`,
  ];
  // Thousands of sockets would bury the report: the oldest few, then a count (--json has every one).
  for (const a of ages.slice(0, MAX_LINES)) {
    const owner = a.owner ? `${a.owner.comm}/${a.owner.pid}` : "-";
    lines.push(
      `  ${a.local.padEnd(21)} ${a.remote.padEnd(21)} ${terminalSafeCell(owner).padEnd(16)} ${age(a)}`,
    );
  }
  if (ages.length > MAX_LINES) lines.push(`  … and ${ages.length - MAX_LINES} more (--json lists them all)`);
  if (ages.some((a) => !a.exact)) {
    lines.push("  at least: it entered CLOSE_WAIT before the watcher's tracer started");
  }
  return lines.join("\n");
}

export function exactAgesJson(ages: readonly SocketAge[], watcherPid: number, since: number) {
  return {
    tracer: { watcherPid, since: new Date(since).toISOString() },
    sockets: ages.map((a) => ({
      netns: a.netns,
      local: a.local,
      remote: a.remote,
      owner: a.owner,
      enteredAt: a.enteredAt === null ? null : new Date(a.enteredAt).toISOString(),
      seconds: Math.round(a.seconds * 1000) / 1000,
      exact: a.exact,
    })),
  };
}
