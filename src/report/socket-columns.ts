/**
 * @module The columns of a socket row in tables and CSV, ss-like.
 */
import { formatEndpoint } from "../model/endpoint.js";
import type { NetnsRef } from "../model/netns.js";
import type { TcpSocket, Timer } from "../model/socket.js";
import { stateSsName } from "../model/tcp-state.js";
import type { Column } from "../render/table.js";
import { netnsLabel } from "./netns.js";

export function formatTimer(t: Timer | null): string {
  if (!t) return "-";
  const secs = t.expiresMs / 1000;
  const left = secs >= 10 ? `${Math.round(secs)}s` : `${secs.toFixed(1)}s`;
  return `${t.kind},${left},${t.retrans}`;
}

export function formatOwners(s: Pick<TcpSocket, "owners" | "inode">): string {
  if (s.owners === null) return "-";
  if (s.owners.length === 0) return s.inode ? "?" : "(no fd)";
  return s.owners.map((o) => `${o.comm}/${o.pid}${o.fd === null ? "" : `/fd${o.fd}`}`).join(",");
}

export function socketColumns(opts: { timers?: boolean; processes?: boolean }): Column<TcpSocket>[] {
  const cols: Column<TcpSocket>[] = [
    { header: "State", value: (s) => stateSsName(s.state) },
    { header: "Recv-Q", value: (s) => s.recvQ, align: "right" },
    { header: "Send-Q", value: (s) => s.sendQ, align: "right" },
    { header: "Local", value: (s) => formatEndpoint(s.local), shrinkable: true },
    { header: "Peer", value: (s) => formatEndpoint(s.remote), shrinkable: true },
  ];
  if (opts.timers) cols.push({ header: "Timer", value: (s) => formatTimer(s.timer) });
  if (opts.processes) cols.push({ header: "Process", value: formatOwners, shrinkable: true });
  return cols;
}

/** A socket with the namespace it was read in (--netns, --all-netns). */
export interface NamespacedSocket {
  socket: TcpSocket;
  netns: NetnsRef;
}

/** The columns of socketColumns, after a namespace column. */
export function namespacedColumns(opts: {
  timers?: boolean;
  processes?: boolean;
}): Column<NamespacedSocket>[] {
  return [
    { header: "Netns", value: (r) => netnsLabel(r.netns), shrinkable: true },
    ...socketColumns(opts).map((c): Column<NamespacedSocket> => ({ ...c, value: (r) => c.value(r.socket) })),
  ];
}
