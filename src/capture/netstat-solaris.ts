/**
 * @module Solaris and illumos netstat captures: `netstat -an` prints one
 * section per protocol and family ("TCP: IPv4", "TCP: IPv6", "UDP: IPv4",
 * "SCTP:", UNIX sockets); TCP rows are "local remote Swind Send-Q Rwind
 * Recv-Q State" with host.port endpoints, plus an If column for IPv6.
 * illumos `netstat -u` adds User, Pid and Command before Swind, one row per
 * process: consecutive rows for the same socket become one socket with
 * several owners. Pure.
 */
import type { Family } from "../model/endpoint.js";
import type { Owner, TcpSocket } from "../model/socket.js";
import type { CaptureParser } from "./capture.js";
import { splitDotEndpoint } from "./endpoint-text.js";
import type { ServiceTable } from "../model/service-names.js";
import { RowLog, captureLines, countOf, fieldsOf, quote, readCore, tcpSocket } from "./netstat-rows.js";
import { captureState } from "./state-words.js";

/** Where rows are: a TCP section (and its family), another section, or no title seen yet. */
type Section = { tcp: true; family: Family } | { tcp: false } | null;

/** The section a title line opens; undefined when the line is no title. */
function sectionOf(line: string): Section | undefined {
  const m = /^(TCP|UDP|SCTP|ICMP|RAWIP)(?::\s*IPv([46]))?:?$/.exec(line.trim());
  if (m) return m[1] === "TCP" ? { tcp: true, family: m[2] === "6" ? 6 : 4 } : { tcp: false };
  return /^Active\b/.test(line) ? { tcp: false } : undefined;
}

/** A read row and the text that identifies its socket (to merge -u rows of one socket). */
interface Row {
  key: string;
  socket: TcpSocket;
}

/** One TCP row, or why not. The state is last, or before the IPv6 If column. */
function readRow(f: string[], family: Family, pidColumn: boolean, services?: ServiceTable): Row | string {
  const n = f.length;
  const si =
    n > 0 && captureState(f[n - 1]!) !== undefined
      ? n - 1
      : n > 1 && captureState(f[n - 2]!) !== undefined
        ? n - 2
        : -1;
  if (si < 0) return `no TCP state at the end ${quote(f.slice(-2).join(" "))}`;
  if (si < 6) return "too few columns";
  if (!pidColumn && si > 6) return `unexpected column ${quote(f[2]!)}`;
  const counters = f.slice(si - 4, si).map(countOf);
  if (counters.some((c) => c === null))
    return `bad Swind/Send-Q/Rwind/Recv-Q ${quote(f.slice(si - 4, si).join(" "))}`;
  const core = readCore(f[0], f[1], f[si], (t) => splitDotEndpoint(t, services), family);
  if (typeof core === "string") return core;
  let owners: Owner[] | null = null;
  if (pidColumn) {
    // User, Pid, Command (which may hold spaces); a socket no process holds prints none.
    const [, pid = "", ...command] = f.slice(2, si - 4);
    const pidNumber = countOf(pid);
    owners = pidNumber === null ? [] : [{ pid: pidNumber, comm: command.join(" ") || "?", fd: null }];
  }
  const key = [f[0], f[1], ...f.slice(si - 4, si + 1)].join(" ");
  return { key, socket: tcpSocket(core, { sendQ: counters[1]!, recvQ: counters[3]!, owners }) };
}

export const parseNetstatSolaris: CaptureParser = (text, origin, services) => {
  const log = new RowLog(origin, "Solaris netstat");
  const sockets: TcpSocket[] = [];
  let section: Section = null;
  let pidColumn = false;
  let sawHeader = false;
  let ownersKnown = false;
  let previous: Row | null = null;
  const lines = captureLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opened = sectionOf(line);
    const f = fieldsOf(line);
    if (opened !== undefined || f.length === 0 || /^[-\s]+$/.test(line) || /Local Address/.test(line)) {
      if (opened !== undefined) section = opened;
      if (/Local Address/.test(line)) {
        pidColumn = /\bPid\b/.test(line);
        sawHeader = true;
      }
      if (section?.tcp && pidColumn) ownersKnown = true;
      previous = null;
      continue;
    }
    if (section && !section.tcp) continue;
    // Rows grepped out of -u output, with no header: a number after the user is its pid.
    const withPid = pidColumn || (!sawHeader && f.length > 9 && countOf(f[3]) !== null);
    if (withPid) ownersKnown = true;
    const row = readRow(f, section?.family ?? 4, withPid, services);
    if (typeof row === "string") {
      // Before any section title, only lines that read as TCP rows count as rows.
      if (section === null) continue;
      log.row();
      log.skip(i + 1, row);
      previous = null;
      continue;
    }
    log.row();
    if (withPid && previous?.key === row.key && previous.socket.owners && row.socket.owners) {
      previous.socket.owners.push(...row.socket.owners);
      continue;
    }
    if (row.socket.owners !== null) ownersKnown = true;
    sockets.push(row.socket);
    previous = row;
  }
  return log.finish(sockets, ownersKnown);
};
