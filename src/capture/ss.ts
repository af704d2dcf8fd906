/**
 * @module Parser for captured `ss` output (iproute2): -tan, -tanp, -tanpeo,
 * -tupna, -peaonmi, --tcp alone (no Netid column), with or without a header,
 * aligned or not. A record is a row plus the indented lines under it (-i and
 * -m print skmem:, cubic, rtt: there). Only TCP rows are kept. Pure.
 */
import type { Family } from "../model/endpoint.js";
import { InputError } from "../model/errors.js";
import type { TcpSocket } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import type { CaptureParse, CaptureParser } from "./capture.js";
import { familyOf, splitColonEndpoint } from "./endpoint-text.js";
import { quote } from "./netstat-rows.js";
import type { ServiceTable } from "../model/service-names.js";
import { readSsDetails } from "./ss-details.js";
import { captureState } from "./state-words.js";
import { WarningList } from "./warning-list.js";

/** State words as ss prints them (ss.c sstate_name), so rows are told from other lines. */
const SS_STATES = new Set([
  "UNKNOWN",
  "ESTAB",
  "SYN-SENT",
  "SYN-RECV",
  "FIN-WAIT-1",
  "FIN-WAIT-2",
  "TIME-WAIT",
  "UNCONN",
  "CLOSE-WAIT",
  "LAST-ACK",
  "LISTEN",
  "CLOSING",
]);

const HEADER = /^\s*(Netid\s+)?(State\s+)?Recv-Q\s+Send-Q\s+Local\s+Address:Port\b/;
const NETID = /^[a-z][a-z0-9_]*$/;

/** One row and the indented lines under it. */
interface SsRecord {
  line: number;
  netid: string | null;
  tokens: string[];
  /** Text after the peer address, with its continuation lines. */
  details: string;
}

/** The row's tokens and whether it has a Netid column; null when the line is not an ss row. */
function rowStart(line: string): { netid: string | null; tokens: string[] } | null {
  const tokens = line.trim().split(/\s+/);
  const [first = "", second = ""] = tokens;
  if (SS_STATES.has(first)) return { netid: null, tokens };
  if (NETID.test(first) && SS_STATES.has(second)) return { netid: first, tokens: tokens.slice(1) };
  return null;
}

/** Leading tokens of a row without and with a Netid column. */
const SKIP = { 5: /^\s*(?:\S+\s+){5}/, 6: /^\s*(?:\S+\s+){6}/ };

/** The line after its first skip whitespace-separated tokens. */
function afterTokens(line: string, skip: 5 | 6): string {
  const m = SKIP[skip].exec(line);
  return m ? line.slice(m[0].length) : "";
}

/** ss's own state word to a state; UNCONN of a tcp row is a TCP socket in CLOSE. */
function ssState(word: string, netid: string | null): TcpState | undefined {
  if (word === "UNCONN") return netid === "tcp" ? TcpState.CLOSE : undefined;
  return captureState(word);
}

/**
 * Which family "*" stands for. Newer ss prints 0.0.0.0 and [::] for the
 * single-family wildcards and "*" only for a dual-stack IPv6 socket; older ss
 * printed "*" for IPv4's and ":::22" (unbracketed) for IPv6's.
 */
export function wildcardFamily(text: string): Family {
  return /(?:^|\s)(?:\[[0-9A-Fa-f:.%\w]*\]|0\.0\.0\.0(?:%\S+)?):[\w*]/m.test(text) ? 6 : 4;
}

type Row = TcpSocket | "skip" | "unconn" | string;

/** A record to a socket (owners null unless users: names some), "skip" (not TCP), or why the row is bad. */
function toSocket(rec: SsRecord, wildcard: Family, services: ServiceTable | undefined): Row {
  if (rec.netid !== null && rec.netid !== "tcp") return "skip";
  const [word = "", rq = "", sq = "", localText = "", peerText = ""] = rec.tokens;
  const state = ssState(word, rec.netid);
  if (state === undefined) return word === "UNCONN" ? "unconn" : `unknown state ${word}`;
  if (!/^\d{1,15}$/.test(rq) || !/^\d{1,15}$/.test(sq)) return "bad Recv-Q/Send-Q";
  const local = splitColonEndpoint(localText, services);
  const remote = splitColonEndpoint(peerText, services);
  if (!local || !remote) {
    const bad = local ? peerText : localText;
    // Quoted and cut: the token is the capture's own text, of any length and with any bytes.
    return `bad address ${quote(bad)}`;
  }
  const details = readSsDetails(rec.details);
  const known = local.address !== "*" ? local.address : remote.address;
  return {
    family: familyOf(known, wildcard),
    state,
    local,
    remote,
    recvQ: Number(rq),
    sendQ: Number(sq),
    timer: details.timer,
    uid: details.uid,
    inode: details.inode,
    cookie: details.cookie,
    owners: details.owners,
  };
}

/**
 * Reads lines one by one; a record becomes a socket, handed to emit, as soon
 * as the next line shows it is complete, so a streamed capture is never held.
 */
export class SsReader {
  readonly warnings: WarningList;
  /** Sockets handed on. */
  emitted = 0;
  headers = 0;
  stateless = 0;
  rows = 0;
  bad = 0;
  firstBad = "";
  unconn = 0;
  /** Any users:(...) means ss ran with -p. Its "Process" header is no sign: ss 6.1 prints it always. */
  sawUsers = false;
  private current: SsRecord | null = null;

  /**
   * wildcard: the family "*" stands for (wildcardFamily of the whole text, or
   * of the lines read ahead). emit gets each socket as its record ends.
   */
  constructor(
    private readonly origin: string,
    private readonly wildcard: Family,
    private readonly services: ServiceTable | undefined,
    private readonly emit: (s: TcpSocket) => void,
  ) {
    this.warnings = new WarningList(origin);
  }

  line(raw: string, lineNo: number): void {
    const line = raw.replace(/\r+$/, "");
    if (line.trim() === "") return this.flush();
    if (HEADER.test(line)) {
      this.headers++;
      if (!/\bState\s+Recv-Q/.test(line)) this.stateless++;
      return this.flush();
    }
    const start = rowStart(line);
    if (start) {
      this.flush();
      this.current = { line: lineNo, ...start, details: afterTokens(line, start.netid === null ? 5 : 6) };
    } else if (this.current !== null && /^\s/.test(line)) {
      this.current.details += ` ${line.trim()}`;
    } else {
      this.flush();
      this.warnings.add(`${this.origin}:${lineNo}: not an ss row, line skipped`);
    }
  }

  flush(): void {
    const rec = this.current;
    if (rec === null) return;
    this.current = null;
    this.rows++;
    if (!this.sawUsers && rec.details.includes("users:(")) this.sawUsers = true;
    const row = toSocket(rec, this.wildcard, this.services);
    if (row === "skip") return;
    if (row === "unconn") this.unconn++;
    else if (typeof row !== "string") {
      this.emitted++;
      this.emit(row);
    } else {
      const msg = `${this.origin}:${rec.line}: ${row}, row skipped`;
      if (++this.bad === 1) this.firstBad = msg;
      this.warnings.add(msg);
    }
  }
}

/** The end of a read: warnings, or InputError when the text was not ss output after all. */
export function finishSs(reader: SsReader, origin: string): Omit<CaptureParse, "sockets"> {
  reader.flush();
  const { warnings } = reader;
  if (reader.rows === 0 && reader.stateless > 0) {
    throw new InputError(
      `${origin}: ss printed no State column (it was run with a state filter); capture it without one`,
    );
  }
  if (reader.rows === 0 && reader.headers === 0 && warnings.count > 0) {
    throw new InputError(`${origin}: not ss output (${warnings.first})`);
  }
  if (reader.emitted === 0 && reader.bad > 0) {
    throw new InputError(`${origin}: no ss row could be read (${reader.firstBad})`);
  }
  if (reader.unconn > 0) {
    warnings.note(
      `${origin}: ${reader.unconn} UNCONN rows skipped: without a Netid column, UDP cannot be told from unbound TCP`,
    );
  }
  return { warnings: warnings.list(), ownersKnown: reader.sawUsers };
}

/** With -p, a row without users: has no owner; TIME_WAIT has no fd to own (DESIGN.md: null, as live). */
export function ssOwnersKnown(s: TcpSocket): void {
  if (s.owners === null && s.state !== TcpState.TIME_WAIT) s.owners = [];
}

export const parseSs: CaptureParser = (text, origin, services): CaptureParse => {
  const sockets: TcpSocket[] = [];
  const reader = new SsReader(origin, wildcardFamily(text), services, (s) => sockets.push(s));
  let lineNo = 0;
  for (let at = text.charCodeAt(0) === 0xfeff ? 1 : 0; at < text.length;) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    reader.line(text.slice(at, end), ++lineNo);
    at = end + 1;
  }
  const end = finishSs(reader, origin);
  // Any users:(...) of the whole text tells, for rows before it too.
  if (end.ownersKnown) sockets.forEach(ssOwnersKnown);
  return { sockets, ...end };
};
