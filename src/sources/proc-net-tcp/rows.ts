/**
 * @module One row of /proc/net/tcp{,6} to a TcpSocket: a fast path that
 * checks the kernel's fixed-width layout by offset, and a tokenizer for rows
 * that break it, which can name the bad field.
 */
import type { Endpoint, Family } from "../../model/endpoint.js";
import type { TcpSocket, Timer, TimerKind } from "../../model/socket.js";
import type { TcpState } from "../../model/tcp-state.js";
import { hexAt, isBlank, v4text, v6text } from "./hex-text.js";

/** Timers are printed in clock ticks of USER_HZ = 100 Hz (jiffies_delta_to_clock_t). */
const MS_PER_TICK = 10;

/** tr column: which timer is pending (0 = none). */
const TIMER_KINDS: Array<TimerKind | null> = [null, "on", "keepalive", "timewait", "persist"];

function timer(tr: number, when: number, retrnsmt: number, probes: number): Timer | null {
  const kind = TIMER_KINDS[tr] ?? null;
  if (kind === null) return null;
  // Old kernels printed a negative delta (already due) as a huge unsigned number.
  const expiresMs = when >= 0x80000000 ? 0 : when * MS_PER_TICK;
  // As inet_diag does: keepalive and zero-window probes count in the "timeout" column.
  const retrans = kind === "keepalive" || kind === "persist" ? probes : retrnsmt;
  return { kind, expiresMs, retrans };
}

/** The 12 leading columns of a row, as numbers and endpoints. */
export interface Fields {
  local: Endpoint;
  remote: Endpoint;
  st: number;
  tx: number;
  rx: number;
  tr: number;
  when: number;
  retrnsmt: number;
  uid: number;
  timeout: number;
  inode: number;
}

export function toSocket(family: Family, f: Fields): TcpSocket {
  return {
    family,
    state: f.st as TcpState,
    local: f.local,
    remote: f.remote,
    recvQ: f.rx,
    sendQ: f.tx,
    timer: timer(f.tr, f.when, f.retrnsmt, f.timeout),
    uid: f.uid,
    inode: f.inode,
    cookie: null,
    owners: null,
  };
}

/** Bit of a row's state in an idiag_states mask; SYN_RECV rows also stand for NEW_SYN_RECV. */
function stateBits(st: number): number {
  return st === 3 ? (1 << 3) | (1 << 12) : 1 << st;
}

/**
 * The fixed-width layout, read by offset from the "sl" colon. Returns null
 * when the row does not follow it exactly (the tokenizer then decides), "skip"
 * when its state is not wanted.
 */
export function fastRow(
  t: string,
  ls: number,
  le: number,
  family: Family,
  mask: number,
): TcpSocket | "skip" | null {
  let p = ls;
  while (p < le && t.charCodeAt(p) === 32) p++;
  const slStart = p;
  while (p < le && t.charCodeAt(p) >= 48 && t.charCodeAt(p) <= 57) p++;
  if (p === slStart || t.charCodeAt(p) !== 58 || t.charCodeAt(p + 1) !== 32) return null;
  const w = family === 4 ? 8 : 32;
  const a = p + 2; // local address
  const r = a + w + 6; // remote address
  const s = r + w + 6; // st
  if (s + 40 > le) return null;
  if (t.charCodeAt(a + w) !== 58 || t.charCodeAt(r - 1) !== 32 || t.charCodeAt(r + w) !== 58) return null;
  if (t.charCodeAt(s - 1) !== 32 || t.charCodeAt(s + 2) !== 32) return null;
  const st = hexAt(t, s, 2);
  if (st < 1 || st > 12) return null;
  if ((mask & stateBits(st)) === 0) return "skip";
  if (t.charCodeAt(s + 11) !== 58 || t.charCodeAt(s + 20) !== 32 || t.charCodeAt(s + 23) !== 58) return null;
  if (t.charCodeAt(s + 32) !== 32 || t.charCodeAt(s + 41) !== 32) return null;
  const lport = hexAt(t, a + w + 1, 4);
  const rport = hexAt(t, r + w + 1, 4);
  const tx = hexAt(t, s + 3, 8);
  const rx = hexAt(t, s + 12, 8);
  const tr = hexAt(t, s + 21, 2);
  const when = hexAt(t, s + 24, 8);
  const retrnsmt = hexAt(t, s + 33, 8);
  if (lport < 0 || rport < 0 || tx < 0 || rx < 0 || tr < 0 || tr > 4 || when < 0 || retrnsmt < 0) return null;
  const la = family === 4 ? hexAt(t, a, 8) : 0;
  const ra = family === 4 ? hexAt(t, r, 8) : 0;
  if (la < 0 || ra < 0) return null;
  const local = family === 4 ? v4text(la) : v6text(t, a);
  const remote = family === 4 ? v4text(ra) : v6text(t, r);
  if (local === null || remote === null) return null;
  // uid, timeout and inode are decimal and padded, and uid may overflow its column.
  cursor.p = s + 41;
  const uid = decimal(t, le);
  const timeout = uid < 0 ? -1 : decimal(t, le);
  const inode = timeout < 0 ? -1 : decimal(t, le);
  if (inode < 0) return null;
  return {
    family,
    state: st as TcpState,
    local: { address: local, port: lport },
    remote: { address: remote, port: rport },
    recvQ: rx,
    sendQ: tx,
    timer: timer(tr, when, retrnsmt, timeout),
    uid,
    inode,
    cookie: null,
    owners: null,
  };
}

/** Scan position shared with decimal(); an object field, because module-level lets are slow in loops. */
const cursor = { p: 0 };

/** Blanks, then a decimal of at most 15 digits ending the token; -1 otherwise. */
function decimal(t: string, le: number): number {
  let p = cursor.p;
  while (p < le && t.charCodeAt(p) === 32) p++;
  const start = p;
  let v = 0;
  for (; p < le; p++) {
    const c = t.charCodeAt(p) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  cursor.p = p;
  if (p === start || p - start > 15) return -1;
  return p === le || isBlank(t.charCodeAt(p)) || t.charCodeAt(p) === 13 ? v : -1;
}

/** Whitespace tokens of a row: the slow path, which can say which field is bad. */
export function slowRow(line: string, family: Family, mask: number): Fields | "skip" | string {
  const tok = line.trim().split(/[ \t]+/);
  const field = (i: number): string => tok[i] ?? "";
  const hexField = (v: string, digits: number): number =>
    v.length >= 1 && v.length <= digits && /^[0-9A-Fa-f]+$/.test(v) ? Number.parseInt(v, 16) : -1;
  const decField = (v: string): number => (/^[0-9]{1,15}$/.test(v) ? Number(v) : -1);
  const endpoint = (v: string): Endpoint | null => {
    const [addr = "", port = "", extra] = v.split(":");
    const portNum = port.length === 4 ? hexField(port, 4) : -1;
    if (extra !== undefined || portNum < 0) return null;
    const w = family === 4 ? 8 : 32;
    if (addr.length !== w || hexField(addr.slice(0, 8), 8) < 0) return null;
    const address = family === 4 ? v4text(hexField(addr, 8)) : v6text(addr, 0);
    return address === null ? null : { address, port: portNum };
  };
  if (!/^[0-9]+:$/.test(field(0))) return "sl";
  const local = endpoint(field(1));
  if (!local) return "local_address";
  const remote = endpoint(field(2));
  if (!remote) return "rem_address";
  const st = hexField(field(3), 2);
  if (st < 1 || st > 12) return "st";
  if ((mask & stateBits(st)) === 0) return "skip";
  const [txs = "", rxs = "", q3] = field(4).split(":");
  const tx = hexField(txs, 8);
  const rx = hexField(rxs, 8);
  if (tx < 0 || rx < 0 || q3 !== undefined) return "tx_queue:rx_queue";
  const [trs = "", whens = "", t3] = field(5).split(":");
  const tr = hexField(trs, 2);
  const when = hexField(whens, 16);
  if (tr < 0 || tr > 4 || when < 0 || t3 !== undefined) return "tr:tm->when";
  const retrnsmt = hexField(field(6), 8);
  if (retrnsmt < 0) return "retrnsmt";
  const uid = decField(field(7));
  if (uid < 0) return "uid";
  const timeout = decField(field(8));
  if (timeout < 0) return "timeout";
  const inode = decField(field(9));
  if (inode < 0) return "inode";
  return { local, remote, st, tx, rx, tr, when, retrnsmt, uid, timeout, inode };
}
