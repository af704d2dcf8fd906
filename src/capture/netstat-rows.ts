/**
 * @module What the netstat parsers share: splitting a capture into lines and
 * whitespace tokens, reading the queue numbers, endpoints and state word of a
 * row, building the TcpSocket, and the row log that caps per-line warnings
 * and decides when a capture is unreadable as a whole. Pure.
 */
import type { Endpoint, Family } from "../model/endpoint.js";
import { InputError } from "../model/errors.js";
import type { Owner, TcpSocket, Timer } from "../model/socket.js";
import { TcpState } from "../model/tcp-state.js";
import type { CaptureParse } from "./capture.js";
import { familyOf } from "./endpoint-text.js";
import { captureState } from "./state-words.js";

/** Detailed warnings kept per capture; past this, one line counts the rest (as proc-net-tcp does). */
export const MAX_LINE_WARNINGS = 20;

/** Lines without their end of line (LF or CRLF: Windows captures, files moved between hosts). */
export function captureLines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.replace(/\r+$/, "") : line));
}

/**
 * Each line without its end of line, with its 1-based number, read in place:
 * no array of a million lines for a million-row capture.
 */
export function eachLine(text: string, visit: (line: string, lineNo: number) => void): void {
  let lineNo = 0;
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    let line = text.slice(at, end);
    if (line.endsWith("\r")) line = line.replace(/\r+$/, "");
    visit(line, ++lineNo);
    at = end + 1;
  }
}

/** Whitespace-separated fields of a line. */
export function fieldsOf(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/** A printed value for a warning: quoted, control characters escaped, long values cut. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}

/** A Recv-Q / Send-Q style count; null when not a plain decimal. */
export function countOf(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : null;
}

/** The part of a row every netstat prints: endpoints and state. */
export interface RowCore {
  family: Family;
  state: TcpState;
  local: Endpoint;
  remote: Endpoint;
}

/** Why an endpoint did not parse. */
function badEndpoint(which: string, text: string): string {
  return `bad ${which} address ${quote(text)}`;
}

/**
 * Endpoints and state of a row, or why not. A wildcard local address ("*")
 * takes its family from the remote one, else from wildcardFamily (the proto
 * or section says it).
 */
export function readCore(
  localText: string | undefined,
  remoteText: string | undefined,
  stateWord: string | undefined,
  split: (text: string) => Endpoint | null,
  wildcardFamily: Family,
): RowCore | string {
  if (localText === undefined || remoteText === undefined || stateWord === undefined) {
    return "too few columns";
  }
  const local = split(localText);
  if (!local) return badEndpoint("local", localText);
  const remote = split(remoteText);
  if (!remote) return badEndpoint("remote", remoteText);
  const state = captureState(stateWord);
  if (state === undefined) return `unknown state ${quote(stateWord)}`;
  const family = familyOf(local.address === "*" ? remote.address : local.address, wildcardFamily);
  return { family, state, local, remote };
}

/** The fields a netstat row may add to its core; absent ones are null (not printed). */
export interface RowExtras {
  recvQ?: number;
  sendQ?: number;
  timer?: Timer | null;
  uid?: number | null;
  inode?: number | null;
  owners?: Owner[] | null;
}

export function tcpSocket(core: RowCore, extras: RowExtras): TcpSocket {
  return {
    family: core.family,
    state: core.state,
    local: core.local,
    remote: core.remote,
    recvQ: extras.recvQ ?? 0,
    sendQ: extras.sendQ ?? 0,
    timer: extras.timer ?? null,
    uid: extras.uid ?? null,
    inode: extras.inode ?? null,
    cookie: null,
    // No process can hold a TIME_WAIT socket: null, as the live sources say.
    owners: core.state === TcpState.TIME_WAIT ? null : (extras.owners ?? null),
  };
}

/**
 * Counts TCP rows and skipped ones, keeps the first MAX_LINE_WARNINGS
 * "origin:LINE: why" warnings, and at the end throws when TCP rows were
 * there but not one could be read (a capture of some other format).
 */
export class RowLog {
  readonly warnings: string[] = [];
  private rows = 0;
  private bad = 0;
  private firstBad = "";

  constructor(
    private readonly origin: string,
    private readonly format: string,
  ) {}

  /** A line that is a TCP row, whether or not it parses. */
  row(): void {
    this.rows++;
  }

  /** A TCP row that could not be read. */
  skip(lineNo: number, why: string): void {
    if (++this.bad === 1) this.firstBad = `line ${lineNo}: ${why}`;
    if (this.bad <= MAX_LINE_WARNINGS) this.warnings.push(`${this.origin}:${lineNo}: ${why}; row skipped`);
  }

  /** A warning about the capture as a whole (said once). */
  note(message: string): void {
    this.warnings.push(`${this.origin}: ${message}`);
  }

  finish(sockets: TcpSocket[], ownersKnown: boolean): CaptureParse {
    if (this.rows > 0 && this.bad === this.rows) {
      throw new InputError(
        `${this.origin}: not one of ${this.rows} TCP rows reads as ${this.format} (${this.firstBad})`,
      );
    }
    if (this.bad > MAX_LINE_WARNINGS) {
      this.warnings.push(`${this.origin}: ${this.bad - MAX_LINE_WARNINGS} more TCP rows skipped`);
    }
    return { sockets, warnings: this.warnings, ownersKnown };
  }
}
