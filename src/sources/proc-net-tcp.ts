/**
 * @module /proc/net/tcp and /proc/net/tcp6: the fallback when netlink is not
 * available, and the format of captured dumps. Busy hosts have 100k+ rows, so
 * rows are read in place: a fast path checks the kernel's fixed-width layout
 * ("%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu")
 * by offset, and only rows that break it go through a tokenizer that also
 * names the bad field.
 */
import type { Endpoint, Family } from "../model/endpoint.js";
import { ipv6FromBytes } from "../model/endpoint.js";
import { InputError, PermissionError } from "../model/errors.js";
import type { TcpSocket, Timer, TimerKind } from "../model/socket.js";
import { ALL_STATES_MASK, type TcpState } from "../model/tcp-state.js";
import type { ProcFs } from "./procfs.js";

export interface ProcNetTcpResult {
  sockets: TcpSocket[];
  warnings: string[];
}

/** Detailed warnings kept per file; past this, one line counts the rest. */
const MAX_LINE_WARNINGS = 20;

/** Timers are printed in clock ticks of USER_HZ = 100 Hz (jiffies_delta_to_clock_t). */
const MS_PER_TICK = 10;

/** tr column: which timer is pending (0 = none). */
const TIMER_KINDS: Array<TimerKind | null> = [null, "on", "keepalive", "timewait", "persist"];

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

/** len hex digits at t[at...]; -1 if any is not hex. */
function hexAt(t: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = t.charCodeAt(i);
    const d = HEX[c & 0xff] as number;
    if (d < 0 || c > 0xff) return -1;
    v = v * 16 + d;
  }
  return v;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

const v4cache = new Map<number, string>();

/** A host-order (little-endian) u32 as a dotted quad. */
function v4text(v: number): string {
  let s = v4cache.get(v);
  if (s === undefined) {
    s = `${v & 0xff}.${(v >>> 8) & 0xff}.${(v >>> 16) & 0xff}.${v >>> 24}`;
    if (v4cache.size >= 65536) v4cache.clear();
    v4cache.set(v, s);
  }
  return s;
}

const mappedCache = new Map<number, string>();

/** "::ffff:a.b.c.d", cached like v4text so rows share one string. */
function v4mapped(v: number): string {
  let s = mappedCache.get(v);
  if (s === undefined) {
    s = `::ffff:${v4text(v)}`;
    if (mappedCache.size >= 65536) mappedCache.clear();
    mappedCache.set(v, s);
  }
  return s;
}

const v6cache = new Map<string, string>();
const v6bytes = new Uint8Array(16);

/**
 * 32 hex digits at t[at...] (four host-order u32 words) as RFC 5952 text;
 * null if not hex. The wildcard, loopback and IPv4-mapped forms that fill
 * most tables skip the generic formatter.
 */
function v6text(t: string, at: number): string | null {
  const w0 = hexAt(t, at, 8);
  const w1 = hexAt(t, at + 8, 8);
  const w2 = hexAt(t, at + 16, 8);
  const w3 = hexAt(t, at + 24, 8);
  if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return null;
  if (w0 === 0 && w1 === 0) {
    if (w2 === 0xffff0000) return v4mapped(w3);
    if (w2 === 0 && w3 === 0) return "::";
    if (w2 === 0 && w3 === 0x01000000) return "::1";
  }
  const key = t.slice(at, at + 32);
  let s = v6cache.get(key);
  if (s !== undefined) return s;
  const words = [w0, w1, w2, w3];
  for (let w = 0; w < 4; w++) {
    // Network byte order is the reverse of the printed host-order word.
    const word = words[w] as number;
    v6bytes[w * 4] = word & 0xff;
    v6bytes[w * 4 + 1] = (word >>> 8) & 0xff;
    v6bytes[w * 4 + 2] = (word >>> 16) & 0xff;
    v6bytes[w * 4 + 3] = word >>> 24;
  }
  s = ipv6FromBytes(v6bytes);
  if (v6cache.size >= 65536) v6cache.clear();
  v6cache.set(key, s);
  return s;
}

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
interface Fields {
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

function toSocket(family: Family, f: Fields): TcpSocket {
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
function fastRow(t: string, ls: number, le: number, family: Family, mask: number): TcpSocket | "skip" | null {
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
function slowRow(line: string, family: Family, mask: number): Fields | "skip" | string {
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

/**
 * Parse the text of /proc/net/tcp (family 4) or tcp6 (family 6), keeping rows
 * whose state is in statesMask. Header lines are skipped wherever they are
 * (concatenated dumps). Bad rows are skipped with a warning naming origin,
 * line and field; InputError when rows were there but not one parses
 * (a header alone is an empty table). Rows repeated by the kernel are counted as printed.
 */
export function parseProcNetTcp(
  text: string,
  family: Family,
  origin: string = family === 4 ? "/proc/net/tcp" : "/proc/net/tcp6",
  statesMask: number = ALL_STATES_MASK,
): ProcNetTcpResult {
  const sockets: TcpSocket[] = [];
  const warnings: string[] = [];
  let rows = 0;
  let bad = 0;
  let firstBad = "";
  let lastInode: number | null = 0;
  let duplicates = 0;
  let lineNo = 0;
  for (let ls = 0; ls < text.length;) {
    let le = text.indexOf("\n", ls);
    if (le < 0) le = text.length;
    lineNo++;
    let row: TcpSocket | "skip" | null = fastRow(text, ls, le, family, statesMask);
    if (row === null) {
      const line = text.slice(ls, le).trim();
      const slow = line === "" || /^sl\b/.test(line) ? "header" : slowRow(line, family, statesMask);
      if (slow === "header") {
        ls = le + 1;
        continue;
      }
      if (typeof slow === "string" && slow !== "skip") {
        const msg = `${origin}:${lineNo}: bad ${slow} field, line skipped`;
        if (++bad === 1) firstBad = msg;
        if (bad <= MAX_LINE_WARNINGS) warnings.push(msg);
        ls = le + 1;
        continue;
      }
      row = slow === "skip" ? slow : toSocket(family, slow as Fields);
    }
    ls = le + 1;
    rows++;
    if (row === "skip") continue;
    // The kernel re-prints a row when sockets come and go between two reads of the file.
    if (row.inode !== 0 && row.inode === lastInode) duplicates++;
    lastInode = row.inode;
    sockets.push(row);
  }
  if (rows === 0 && bad > 0) {
    throw new InputError(`${origin}: not a /proc/net/tcp${family === 6 ? "6" : ""} listing (${firstBad})`);
  }
  if (bad > MAX_LINE_WARNINGS)
    warnings.push(`${origin}: ${bad - MAX_LINE_WARNINGS} more malformed lines skipped`);
  if (duplicates > 0) {
    warnings.push(
      `${origin}: ${duplicates} rows repeat the row before them (same inode); counted as printed`,
    );
  }
  return { sockets, warnings };
}

/**
 * Read net/tcp and/or net/tcp6 under proc's root, keeping the states in
 * statesMask. A missing tcp6 (IPv6 disabled) is not an error.
 */
export function readProcNetTcp(
  proc: ProcFs,
  families: Iterable<Family> = [4, 6],
  statesMask: number = ALL_STATES_MASK,
): ProcNetTcpResult {
  const sockets: TcpSocket[] = [];
  const warnings: string[] = [];
  for (const family of families) {
    const name = family === 4 ? "tcp" : "tcp6";
    const path = proc.path("net", name);
    let content: string;
    try {
      content = proc.read("net", name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && family === 6) continue;
      if (code === "EACCES" || code === "EPERM") {
        throw new PermissionError(`cannot read ${path}: permission denied; run as root (sudo sockdoc ...)`, {
          cause: err,
        });
      }
      throw new InputError(`cannot read ${path}: ${code ?? (err as Error).message}`, { cause: err });
    }
    const result = parseProcNetTcp(content, family, path, statesMask);
    for (const s of result.sockets) sockets.push(s);
    warnings.push(...result.warnings);
  }
  return { sockets, warnings };
}
