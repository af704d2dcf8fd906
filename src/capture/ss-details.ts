/**
 * @module The fields ss prints after the peer address: users:(...) (-p),
 * timer:(...) (-o), uid:/ino:/sk: (-e), read from a record's text (its row
 * remainder plus any indented continuation lines). Pure.
 */
import type { Owner, Timer, TimerKind } from "../model/socket.js";
import { intern } from "./intern.js";

export interface SsDetails {
  /** null when the record has no users:(...) field. */
  owners: Owner[] | null;
  timer: Timer | null;
  uid: number | null;
  inode: number | null;
  cookie: string | null;
}

/**
 * users:(("nginx",pid=12,fd=6),("nginx",pid=13,fd=6)); old ss printed
 * ("nginx",12,6). Entries may also carry tid=, proc_ctx= and sock_ctx=.
 * Returns the owners and where the field ends, or null when there is none.
 */
function readUsers(text: string): { owners: Owner[]; start: number; end: number } | null {
  const start = text.indexOf("users:(");
  if (start < 0) return null;
  const owners: Owner[] = [];
  const seen = new Set<string>();
  let p = start + "users:(".length;
  while (text.startsWith('("', p)) {
    // A process name is at most 15 bytes and ends at the first '",' (names may hold spaces).
    const nameEnd = text.indexOf('",', p + 2);
    const close = nameEnd < 0 ? -1 : text.indexOf(")", nameEnd);
    if (close < 0) break;
    const comm = intern(text.slice(p + 2, nameEnd));
    const owner = ownerFields(comm, text.slice(nameEnd + 2, close));
    const key = owner ? `${owner.pid}/${owner.fd}` : "";
    if (owner && !seen.has(key)) {
      seen.add(key);
      owners.push(owner);
    }
    p = close + 1;
    if (text[p] === ",") p++;
  }
  return { owners, start, end: p };
}

/** "pid=12,fd=6" (tid=, proc_ctx= in between) or the old "12,6". */
function ownerFields(comm: string, fields: string): Owner | null {
  const old = /^(\d+),(\d+)$/.exec(fields);
  if (old) return { pid: Number(old[1]), comm, fd: Number(old[2]) };
  const pid = /(?:^|,)pid=(\d+)/.exec(fields);
  if (!pid) return null;
  const fd = /(?:^|,)fd=(\d+)/.exec(fields);
  return { pid: Number(pid[1]), comm, fd: fd ? Number(fd[1]) : null };
}

const TIMER_KINDS: Record<string, TimerKind> = {
  on: "on",
  keepalive: "keepalive",
  timewait: "timewait",
  persist: "persist",
  off: "off",
};

/**
 * ss's duration text back to milliseconds: "200ms", "6.535ms" (older ss) or
 * "6.535sec" (newer), "10sec", "1min20sec", "117min", "" (zero). null when
 * it is none of these.
 */
export function ssDurationMs(text: string): number | null {
  const m = /^(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)(ms|sec))?$/.exec(text);
  if (!m) return null;
  const [, min = "0", sec = "0", , ms = "0"] = m;
  return Number(min) * 60_000 + Number(sec) * 1000 + Number(ms);
}

/** timer:(keepalive,1min20sec,0); kinds sockdoc does not model (delack, unknown) give null. */
function readTimer(text: string): Timer | null {
  const m = /(?:^|\s)timer:\(([a-z_0-9]+),([^,()\s]*),(-?\d+)\)/.exec(text);
  if (!m) return null;
  const kind = Object.hasOwn(TIMER_KINDS, m[1]!) ? TIMER_KINDS[m[1]!]! : null;
  const expiresMs = ssDurationMs(m[2]!);
  if (kind === null || expiresMs === null) return null;
  return { kind, expiresMs, retrans: Math.max(0, Number(m[3])) };
}

const NUMBER_FIELDS = {
  ino: /(?:^|\s)ino:(\d{1,15})(?=\s|$)/,
  uid: /(?:^|\s)uid:(\d{1,15})(?=\s|$)/,
};

function numberField(text: string, name: keyof typeof NUMBER_FIELDS): number | null {
  const m = NUMBER_FIELDS[name].exec(text);
  return m ? Number(m[1]) : null;
}

/** Every detail field of one record; absent ones are null. */
export function readSsDetails(text: string): SsDetails {
  if (!/\S/.test(text)) return { owners: null, timer: null, uid: null, inode: null, cookie: null };
  const users = readUsers(text);
  // Search the rest without the users list, so a process name cannot fake a field.
  const rest = users ? text.slice(0, users.start) + " " + text.slice(users.end) : text;
  const inode = numberField(rest, "ino");
  // ss -e prints uid only when it is not 0, and ino always: with ino, no uid means root.
  const uid = numberField(rest, "uid") ?? (inode !== null ? 0 : null);
  // sk: is the socket cookie in hex (iproute2 cookie_sk_get); the model keeps it in decimal.
  const sk = /(?:^|\s)sk:([0-9a-f]{1,16})(?=\s|$)/.exec(rest);
  return {
    owners: users ? users.owners : null,
    timer: readTimer(rest),
    uid,
    inode,
    cookie: sk ? BigInt(`0x${sk[1]}`).toString() : null,
  };
}
