/**
 * @module How `sockdoc trace` prints each change: a fixed-width table line
 * (it streams, so columns cannot be measured first; sized so a loopback
 * IPv4 change with its owner fits 80 columns) or one JSON object per line.
 * Every cell from outside (process names) is made terminal-safe.
 */
import { formatEndpoint } from "../../model/endpoint.js";
import { stateName, stateSsName } from "../../model/tcp-state.js";
import { terminalSafeCell } from "../../render/terminal-safe.js";
import type { TracedChange } from "../../inspect/trace/trace-stream.js";

/** "850ms", "12.3s", "4m05s", "2h03m", "3d04h"; "-" when unknown. */
export function shortDuration(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor(s / 3600) % 24).padStart(2, "0")}h`;
}

/** "HH:MM:SS.mmm" in local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function ownerText(t: TracedChange): string {
  return t.owner.owner ? `${t.owner.owner.pid}/${t.owner.owner.comm}` : `(${t.owner.why})`;
}

function netnsText(t: TracedChange): string {
  return t.netnsName ?? (t.change.netns === 0 ? "?" : String(t.change.netns));
}

const pad = (text: string, width: number) => text.padEnd(width);

/** The header line; withNetns adds the namespace column (several namespaces traced). */
export function tableHeader(withNetns: boolean): string {
  return [
    pad("TIME", 12),
    ...(withNetns ? [pad("NETNS", 10)] : []),
    pad("CHANGE", 16),
    pad("AFTER", 5),
    pad("LOCAL", 15),
    pad("REMOTE", 15),
    "OWNER",
  ].join(" ");
}

/** One change as a table line (no newline). AFTER is the time spent in the old state. */
export function tableLine(t: TracedChange, withNetns: boolean): string {
  const c = t.change;
  const local = formatEndpoint({ address: c.localAddress, port: c.localPort });
  const remote = formatEndpoint({ address: c.remoteAddress, port: c.remotePort });
  return [
    clockTime(t.timeMs),
    ...(withNetns ? [pad(terminalSafeCell(netnsText(t)), 10)] : []),
    pad(`${stateSsName(c.oldState)}>${stateSsName(c.newState)}`, 16),
    pad(shortDuration(t.inOldStateMs), 5),
    pad(local, 15),
    pad(remote, 15),
    terminalSafeCell(ownerText(t)),
  ].join(" ");
}

export interface ChangeJson {
  time: string;
  netns: number | null;
  netnsName: string | null;
  family: 4 | 6;
  local: { address: string; port: number };
  remote: { address: string; port: number };
  oldState: string;
  newState: string;
  /** ms in oldState; null when the socket entered it before the trace started. */
  inOldStateMs: number | null;
  owner: { pid: number; comm: string } | null;
  /** Why owner is null. */
  ownerUnknown?: string;
  /** The kernel's socket address (hex): the same socket's changes share it while it lives. */
  socket: string;
}

export function changeJson(t: TracedChange): ChangeJson {
  const c = t.change;
  return {
    time: new Date(t.timeMs).toISOString(),
    netns: c.netns === 0 ? null : c.netns,
    netnsName: t.netnsName,
    family: c.family,
    local: { address: c.localAddress, port: c.localPort },
    remote: { address: c.remoteAddress, port: c.remotePort },
    oldState: stateName(c.oldState),
    newState: stateName(c.newState),
    inOldStateMs: t.inOldStateMs === null ? null : Math.round(t.inOldStateMs * 1000) / 1000,
    owner: t.owner.owner,
    ...(t.owner.owner ? {} : { ownerUnknown: t.owner.why }),
    socket: c.skaddr,
  };
}
