/**
 * @module net-tools netstat (Linux) captures: `netstat -tan`, `-tanp`,
 * `-tanpe`, `-tanpo`, `-neopa`, `-lntp` and older layouts. The columns after
 * State (User, Inode, PID/Program name, Timer) depend on the flags, so they
 * are found from the header line, or guessed from the row itself when the
 * capture has no header. Only tcp and tcp6 rows are kept. Pure.
 */
import type { Owner, TcpSocket, Timer, TimerKind } from "../model/socket.js";
import type { CaptureParse, CaptureParser } from "./capture.js";
import type { ServiceTable } from "../model/service-names.js";
import { splitColonEndpoint } from "./endpoint-text.js";
import { intern } from "./intern.js";
import { RowLog, countOf, eachLine, fieldsOf, quote, readCore, tcpSocket } from "./netstat-rows.js";

/** Which optional columns follow State. User and Inode come together (-e). */
interface Columns {
  extended: boolean;
  program: boolean;
  timer: boolean;
}

/** net-tools prints "off|on|keepalive|timewait|probe|unkn-N (secs/retrans/probes)"; old ones omit probes. */
const TIMER = /^(off|on|keepalive|timewait|probe|unkn-\d+) \((-?\d+(?:\.\d+)?)\/(\d{1,9})(?:\/(\d{1,9}))?\)$/;

const TIMER_KINDS: Record<string, TimerKind> = {
  on: "on",
  keepalive: "keepalive",
  timewait: "timewait",
  probe: "persist",
};

/** A PID/Program name value begins "PID/" or is "-" (no owner, or not visible). */
const PROGRAM_START = /^(\d+\/|-$)/;

/** The Timer column as a Timer; null when off (or unknown kind); undefined when not a timer. */
function timerOf(text: string): Timer | null | undefined {
  const m = TIMER.exec(text);
  if (!m) return undefined;
  const kind = TIMER_KINDS[m[1]!];
  if (kind === undefined) return null;
  const expiresMs = Math.max(0, Math.round(Number(m[2]) * 1000));
  // As proc-net-tcp does: keepalive and zero-window probes count in the last field.
  const retrans = Number((kind === "keepalive" || kind === "persist") && m[4] !== undefined ? m[4] : m[3]);
  return { kind, expiresMs, retrans };
}

/** Owner lists already read, by their text: "1234/java" repeats on every row of a busy process. */
const OWNERS_SEEN = new Map<string, Owner[]>();
const MAX_OWNERS_SEEN = 10_000;

/**
 * The PID/Program name value as owners; undefined when it is neither
 * "PID/name" nor "-". Rows with the same value share one list (netstat
 * prints no fd, so they are equal); nothing changes a capture's owner lists.
 */
function ownersOf(text: string): Owner[] | undefined {
  if (text === "" || text === "-") return [];
  const seen = OWNERS_SEEN.get(text);
  if (seen !== undefined) return seen;
  const m = /^(\d{1,10})\/(.*)$/.exec(text);
  if (!m) return undefined;
  const owners = [{ pid: Number(m[1]), comm: intern(m[2]!.trim() || "?"), fd: null }];
  if (OWNERS_SEEN.size >= MAX_OWNERS_SEEN) OWNERS_SEEN.clear();
  OWNERS_SEEN.set(intern(text), owners);
  return owners;
}

/** Columns named by an Internet-section header line; null for other sections' headers (unix). */
function headerColumns(line: string): Columns | null {
  if (!/Local Address/.test(line)) return null;
  const after = line.slice(line.search(/\bState\b/) + 1);
  return {
    extended: /\bInode\b/.test(after),
    program: /\bPID\/Program\b/.test(after),
    timer: /\bTimer\b/.test(after),
  };
}

/** Columns a headerless row seems to have, from the shape of its fields after State. */
function guessColumns(rest: string[]): Columns {
  const timer = rest.length >= 2 && TIMER.test(rest.slice(-2).join(" "));
  const body = timer ? rest.slice(0, -2) : rest;
  if (body.length > 0 && PROGRAM_START.test(body[0]!)) return { extended: false, program: true, timer };
  const extended = body.length >= 2 && /^\d+$/.test(body[1]!);
  return { extended, program: extended && body.length > 2, timer };
}

interface Tail {
  uid: number | null;
  inode: number | null;
  owners: Owner[] | null;
  timer: Timer | null;
  /** Lenient reading only: the PID/Program value that named no pid ("mongod"); owners are then null. */
  odd?: string;
}

/**
 * A PID/Program value that is not "PID/name" nor "-", read for what it
 * tells: a bare pid ("1279") is an owner of unknown name; anything else (a
 * program without pid, "mongod") leaves the owner unknown but said.
 */
function lenientOwners(text: string): { owners: Owner[] | null; odd?: string } {
  if (/^\d{1,10}$/.test(text)) return { owners: [{ pid: Number(text), comm: "?", fd: null }] };
  return { owners: null, odd: text };
}

/**
 * The fields after State, read as cols says; a string says why they do not
 * fit. lenient: the last try for a row, where the PID/Program column (or
 * whatever is left) never rejects the row.
 */
function readTail(rest: string[], cols: Columns, lenient = false): Tail | string {
  let body = rest;
  let timer: Timer | null = null;
  if (cols.timer) {
    const t = body.length >= 2 ? timerOf(body.slice(-2).join(" ")) : undefined;
    if (t === undefined) return `bad Timer ${quote(body.slice(-2).join(" "))}`;
    timer = t;
    body = body.slice(0, -2);
  }
  let uid: number | null = null;
  let inode: number | null = null;
  if (cols.extended) {
    const [user = "", ino = ""] = body;
    if (!/^\d{1,15}$/.test(ino)) return `bad Inode ${quote(ino)}`;
    // -e without -n prints user names: the uid is then unknown.
    uid = /^\d{1,10}$/.test(user) ? Number(user) : null;
    inode = Number(ino);
    body = body.slice(2);
  }
  let owners: Owner[] | null = null;
  if (cols.program || (lenient && body.length > 0)) {
    // Program names may hold spaces ("Passenger Rac", "sshd: /usr/sbin").
    const found = ownersOf(body.join(" "));
    if (found === undefined) {
      if (!lenient) return `bad PID/Program name ${quote(body.join(" "))}`;
      return { uid, inode, timer, ...lenientOwners(body.join(" ")) };
    }
    owners = found;
  } else if (body.length > 0) {
    return `unexpected column ${quote(body[0]!)}`;
  }
  return { uid, inode, owners, timer };
}

/** netstat -p without root prints one of these (on stderr, often captured with the rows). */
const NO_OWNERS = 'No info could be read for "-p"';
const PART_OWNERS = "Not all processes could be identified";

/**
 * Reads a capture line by line and hands each socket on as soon as its row
 * is read, so a streamed capture is never held. netstat -p without root says
 * so on a line of its own, usually before the rows: head (the lines read
 * ahead to tell the format) is searched for it first, and a later one applies
 * from its line on.
 */
export class NetstatLinuxReader {
  private readonly log: RowLog;
  private noOwners = false;
  private partOwners = false;
  private header: Columns | null = null;
  private programColumn = false;
  private hidden = 0;
  private oddOwners = 0;
  private readonly oddExamples = new Set<string>();

  constructor(
    origin: string,
    private readonly emit: (s: TcpSocket) => void,
    private readonly services?: ServiceTable,
    head: readonly string[] = [],
  ) {
    this.log = new RowLog(origin, "net-tools netstat");
    for (const line of head) this.notice(line);
  }

  private notice(line: string): void {
    if (line.includes(NO_OWNERS)) this.noOwners = true;
    if (line.includes(PART_OWNERS)) this.partOwners = true;
  }

  line(line: string, lineNo: number): void {
    const f = fieldsOf(line);
    if (f[0] === "Proto") {
      this.header = headerColumns(line);
      if (this.header?.program) this.programColumn = true;
      return;
    }
    if (f[0] !== "tcp" && f[0] !== "tcp6") {
      this.notice(line);
      return;
    }
    const { log, header } = this;
    log.row();
    const recvQ = countOf(f[1]);
    const sendQ = countOf(f[2]);
    if (recvQ === null || sendQ === null) {
      log.skip(lineNo, `bad Recv-Q/Send-Q ${quote(`${f[1] ?? ""} ${f[2] ?? ""}`)}`);
      return;
    }
    const core = readCore(
      f[3],
      f[4],
      f[5],
      (t) => splitColonEndpoint(t, this.services),
      f[0] === "tcp6" ? 6 : 4,
    );
    if (typeof core === "string") {
      log.skip(lineNo, core);
      return;
    }
    const rest = f.slice(6);
    let tail = readTail(rest, header ?? guessColumns(rest));
    // A second capture pasted under the first one's header may have other columns.
    if (typeof tail === "string" && header) {
      const guessed = readTail(rest, guessColumns(rest));
      if (typeof guessed !== "string") tail = guessed;
    }
    // A socket row is never dropped for its owner column: keep what it tells.
    if (typeof tail === "string") {
      const kept = readTail(rest, header ?? guessColumns(rest), true);
      if (typeof kept !== "string") {
        tail = kept;
        if (kept.odd !== undefined) {
          this.programColumn = true;
          this.oddOwners++;
          if (this.oddExamples.size < 3) this.oddExamples.add(quote(kept.odd));
        }
      }
    }
    if (typeof tail === "string") {
      log.skip(lineNo, tail);
      return;
    }
    let owners = tail.owners;
    if (owners !== null) this.programColumn = true;
    if (this.noOwners) owners = null;
    else if (this.partOwners && owners !== null && owners.length === 0) {
      owners = null;
      this.hidden++;
    }
    this.emit(tcpSocket(core, { recvQ, sendQ, uid: tail.uid, inode: tail.inode, timer: tail.timer, owners }));
  }

  /** The warnings and whether owners are known; InputError when no TCP row could be read. */
  finish(): Omit<CaptureParse, "sockets"> {
    const { log, oddOwners, hidden } = this;
    if (this.noOwners && this.programColumn)
      log.note("netstat could not read owners (-p without root): owners unknown");
    if (oddOwners > 0) {
      log.note(
        `${oddOwners} row${oddOwners === 1 ? "" : "s"} with a PID/Program name that gives no pid (${[...this.oddExamples].join(", ")}): kept, owner unknown`,
      );
    }
    if (hidden > 0) {
      log.note(`${hidden} rows show no owner because netstat was not run as root: owners unknown for them`);
    }
    const { warnings, ownersKnown } = log.finish([], this.programColumn && !this.noOwners);
    return { warnings, ownersKnown };
  }
}

export const parseNetstatLinux: CaptureParser = (text, origin, services) => {
  const sockets: TcpSocket[] = [];
  // The whole text is at hand: its notes apply to every row, wherever they are.
  const head = [text.includes(NO_OWNERS) ? NO_OWNERS : "", text.includes(PART_OWNERS) ? PART_OWNERS : ""];
  const reader = new NetstatLinuxReader(origin, (s) => sockets.push(s), services, head);
  eachLine(text, (line, lineNo) => reader.line(line, lineNo));
  return { sockets, ...reader.finish() };
};
