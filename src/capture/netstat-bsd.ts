/**
 * @module BSD-family netstat captures: FreeBSD `netstat -an` and `-AanP`
 * (leading Tcpcb column, trailing Log ID), OpenBSD/NetBSD `-an`, macOS
 * `netstat -an`, `-An` (Socket and Flowhash columns) and `-anv` (pid or
 * process:pid column). Endpoints are host.port; "*.*" is the wildcard.
 * Without -W, netstat cuts an endpoint at the column width, so the end of a
 * port or IPv6 address may be lost: rows are kept as printed and one warning
 * says how many may be cut. Pure.
 */
import type { Family } from "../model/endpoint.js";
import type { Owner, TcpSocket } from "../model/socket.js";
import type { CaptureParser } from "./capture.js";
import { splitDotEndpoint } from "./endpoint-text.js";
import { RowLog, captureLines, countOf, fieldsOf, quote, readCore, tcpSocket } from "./netstat-rows.js";

/** TCP protos and the family of their wildcard sockets (tcp46: a dual-stack socket, reported as IPv6). */
const TCP_PROTOS = new Map<string, Family>([
  ["tcp", 4],
  ["tcp4", 4],
  ["tcp6", 6],
  ["tcp46", 6],
]);

/** What a section header line says about the rows under it. */
interface Layout {
  /** Width of the Local Address column: a printed endpoint this long may be cut. */
  width: number | null;
  /** Field of the pid (or process:pid) column, counted from Proto; null when none. */
  pid: number | null;
  /** macOS 14+: "name:pid", where the name may hold spaces. */
  named: boolean;
  /** False for tables that are not connections (FreeBSD -L listen queues). */
  connections: boolean;
}

function layoutOf(line: string): Layout | null {
  // Two-word headings count as one field, like the single field under them.
  const merged = line.replace("Local Address", "Local-Address").replace("Foreign Address", "Foreign-Address");
  const f = fieldsOf(merged);
  const proto = f.indexOf("Proto");
  if (proto < 0 || proto > 2) return null;
  const local = line.indexOf("Local Address");
  const foreign = line.indexOf("Foreign Address");
  let pid = f.indexOf("pid");
  const named = pid < 0 && f.includes("process:pid");
  if (named) pid = f.indexOf("process:pid");
  return {
    width: local >= 0 && foreign > local ? foreign - local - 1 : null,
    pid: pid > proto ? pid - proto : null,
    named,
    connections: f.includes("Recv-Q"),
  };
}

/** Where the proto field is: first, or after one or two hex columns (-A Tcpcb; macOS Socket, Flowhash). */
function protoIndex(f: string[]): number {
  for (let i = 0; i < 3 && i < f.length; i++) {
    if (TCP_PROTOS.has(f[i]!)) return i;
    if (!/^[0-9a-fA-F]{1,16}$/.test(f[i]!)) return -1;
  }
  return -1;
}

/** Owners from a -v pid column; pid 0 is no process (TIME_WAIT). Undefined when the field is not a pid. */
function ownersAt(f: string[], at: number, named: boolean): Owner[] | undefined {
  if (!named) {
    const pid = countOf(f[at]);
    if (pid === null) return undefined;
    return pid === 0 ? [] : [{ pid, comm: "?", fd: null }];
  }
  for (let j = at; j < f.length; j++) {
    const m = /^(.*):(\d{1,10})$/.exec(f.slice(at, j + 1).join(" "));
    if (!m) continue;
    const pid = Number(m[2]);
    return pid === 0 ? [] : [{ pid, comm: m[1] || "?", fd: null }];
  }
  return undefined;
}

/**
 * Whether a printed endpoint may have lost its end to the column width: it
 * fills the column, unless it is a whole IPv4 address whose port cannot take
 * another digit (an IPv6 address may be cut anywhere).
 */
function mayBeCut(text: string, width: number): boolean {
  if (text.length !== width) return false;
  const m = /^(\d{1,3}\.){3}\d{1,3}\.(\d{1,5})$/.exec(text);
  return !(m && Number(m[2]) * 10 > 65535);
}

export const parseNetstatBsd: CaptureParser = (text, origin, services) => {
  const log = new RowLog(origin, "BSD/macOS netstat");
  const sockets: TcpSocket[] = [];
  let layout: Layout | null = null;
  let ownersKnown = false;
  let maybeCut = 0;
  let cutWidth = 0;
  let listenRows = 0;
  const lines = captureLines(text);
  for (let i = 0; i < lines.length; i++) {
    const f = fieldsOf(lines[i]!);
    if (f.slice(0, 3).includes("Proto")) {
      layout = layoutOf(lines[i]!);
      if (layout?.pid != null) ownersKnown = true;
      continue;
    }
    const p = protoIndex(f);
    if (p < 0) continue;
    if (layout && !layout.connections) {
      listenRows++;
      continue;
    }
    log.row();
    const lineNo = i + 1;
    const recvQ = countOf(f[p + 1]);
    const sendQ = countOf(f[p + 2]);
    if (recvQ === null || sendQ === null) {
      log.skip(lineNo, `bad Recv-Q/Send-Q ${quote(`${f[p + 1] ?? ""} ${f[p + 2] ?? ""}`)}`);
      continue;
    }
    const core = readCore(
      f[p + 3],
      f[p + 4],
      f[p + 5],
      (t) => splitDotEndpoint(t, services),
      TCP_PROTOS.get(f[p]!)!,
    );
    if (typeof core === "string") {
      log.skip(lineNo, core);
      continue;
    }
    const width = layout?.width;
    if (width && (mayBeCut(f[p + 3]!, width) || mayBeCut(f[p + 4]!, width))) {
      maybeCut++;
      cutWidth = width;
    }
    let owners: Owner[] | null = null;
    if (layout?.pid != null) {
      owners = ownersAt(f, p + layout.pid, layout.named) ?? null;
    }
    sockets.push(tcpSocket(core, { recvQ, sendQ, owners }));
  }
  if (maybeCut > 0) {
    log.note(
      `${maybeCut} rows have an endpoint that fills its ${cutWidth}-character column and may be cut ` +
        "(port or IPv6 address end lost; capture with netstat -W for whole addresses): kept as printed",
    );
  }
  if (listenRows > 0) log.note(`${listenRows} listen-queue rows (netstat -L) are not sockets: skipped`);
  return log.finish(sockets, ownersKnown);
};
