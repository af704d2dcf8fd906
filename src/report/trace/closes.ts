/**
 * @module How `sockdoc trace --closes` prints: one line per connection that
 * began to close (which side sent the first FIN), and each second's
 * TIME_WAIT entries per destination; table lines or ndjson objects.
 */
import { formatEndpoint } from "../../model/endpoint.js";
import { terminalSafeCell } from "../../render/terminal-safe.js";
import type { CloseSide, TimeWaitSecond } from "../../analysis/state-changes/closes.js";
import type { TracedChange } from "../../inspect/trace/trace-stream.js";
import { changeJson, clockTime } from "./changes.js";

const pad = (text: string, width: number) => text.padEnd(width);

export function closesHeader(): string {
  return [pad("TIME", 12), pad("CLOSE", 9), pad("LOCAL", 21), pad("REMOTE", 21), "OWNER"].join(" ");
}

export function closeLine(t: TracedChange, side: CloseSide): string {
  const c = t.change;
  const owner = t.owner.owner ? `${t.owner.owner.pid}/${t.owner.owner.comm}` : `(${t.owner.why})`;
  return [
    clockTime(t.timeMs),
    pad(side, 9),
    pad(formatEndpoint({ address: c.localAddress, port: c.localPort }), 21),
    pad(formatEndpoint({ address: c.remoteAddress, port: c.remotePort }), 21),
    terminalSafeCell(owner),
  ].join(" ");
}

export function timeWaitLine(row: TimeWaitSecond): string {
  return [
    clockTime(row.secondMs).slice(0, 8).padEnd(12),
    pad("time-wait", 9),
    `+${row.count} to ${row.destination}`,
  ].join(" ");
}

export function closeJson(t: TracedChange, side: CloseSide): unknown {
  const { time, netns, netnsName, family, local, remote, owner, ownerUnknown, socket } = changeJson(t);
  return { kind: "close", side, time, netns, netnsName, family, local, remote, owner, ownerUnknown, socket };
}

export function timeWaitJson(row: TimeWaitSecond): unknown {
  return {
    kind: "time-wait",
    second: new Date(row.secondMs).toISOString(),
    netns: row.netns === 0 ? null : row.netns,
    destination: row.destination,
    count: row.count,
  };
}
