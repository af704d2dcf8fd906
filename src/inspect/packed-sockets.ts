/**
 * @module Sockets kept in typed columns instead of objects: what `ls --json`
 * holds for 200k sockets read from netlink (about 40 bytes a socket, where
 * a record with its endpoints and timer takes about 300, and its JSON text
 * 260). A socket is rebuilt as a TcpSocket when it is written. Records
 * (/proc, a streamed capture's rows) are packed the same way, their owner
 * lists kept once each in a table; the few that do not fit the columns (an
 * endpoint with a printed name, a timer the columns cannot hold) are kept
 * as they are.
 */
import type { Endpoint } from "../model/endpoint.js";
import type { Owner, TcpSocket, Timer, TimerKind } from "../model/socket.js";
import type { TcpState } from "../model/tcp-state.js";
import type { SocketCursor } from "../sources/sock-diag.js";
import { RecordCursor } from "./record-cursor.js";

const BLOCK = 1 << 16;
const KINDS: ReadonlyArray<TimerKind | null> = [null, "on", "keepalive", "timewait", "persist", "off"];

/** One block of columns (64k sockets), allocated as the sockets come. */
class Block {
  readonly small = new Uint8Array(BLOCK * 4); // family, state, timer kind, retrans
  readonly ports = new Uint16Array(BLOCK * 2);
  readonly addresses = new Uint32Array(BLOCK * 2);
  readonly numbers = new Float64Array(BLOCK * 5); // recvQ, sendQ, expiresMs, uid (-1: null), inode
  readonly cookies = new BigUint64Array(BLOCK);
  /** Records only: NULL_COOKIE, NULL_INODE. */
  readonly flags = new Uint8Array(BLOCK);
  /** Index into the owner lists; NO_OWNERS (null) or NONE_FOUND ([]). */
  readonly owners = new Int32Array(BLOCK);
}

const NULL_COOKIE = 1;
const NULL_INODE = 2;
const NO_OWNERS = -2;
const NONE_FOUND = -1;
const MAX_COOKIE = (1n << 64n) - 1n;

function plainEndpoint(e: Endpoint): boolean {
  return (
    e.printed === undefined &&
    e.service === undefined &&
    e.resolved === undefined &&
    Number.isInteger(e.port) &&
    e.port >= 0 &&
    e.port <= 0xffff
  );
}

/** Whether a record's every field fits the columns and comes back the same from them. */
function fitsColumns(s: TcpSocket): boolean {
  if (s.ifindex !== undefined || !plainEndpoint(s.local) || !plainEndpoint(s.remote)) return false;
  const t = s.timer;
  if (
    t !== null &&
    (KINDS.indexOf(t.kind) <= 0 || !Number.isInteger(t.retrans) || t.retrans < 0 || t.retrans > 255)
  )
    return false;
  if (s.uid !== null && !(Number.isInteger(s.uid) && s.uid >= 0)) return false;
  if (s.cookie !== null) {
    if (!/^(0|[1-9]\d{0,19})$/.test(s.cookie) || BigInt(s.cookie) > MAX_COOKIE) return false;
  }
  return true;
}

/** Values kept once each, by a key, and numbered in the order they came. */
class IdTable<V> {
  private readonly ids = new Map<string, number>();
  readonly list: V[] = [];

  id(key: string, value: V): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(key, id);
      this.list.push(value);
    }
    return id;
  }
}

export class PackedSockets {
  private readonly blocks: Block[] = [];
  private readonly addresses = new IdTable<string>();
  /** Records that do not fit the columns, by index. */
  private readonly records = new Map<number, TcpSocket>();
  /** Owner lists of records, each once ("1234/java" repeats on every row of a busy process). */
  private readonly owners = new IdTable<Owner[]>();
  private n = 0;

  get count(): number {
    return this.n;
  }

  private address(a: string): number {
    return this.addresses.id(a, a);
  }

  private ownersId(owners: Owner[] | null): number {
    if (owners === null) return NO_OWNERS;
    if (owners.length === 0) return NONE_FOUND;
    return this.owners.id(owners.map((o) => `${o.pid}/${o.fd}/${o.comm}`).join("\n"), owners);
  }

  add(c: SocketCursor): void {
    const i = this.n++;
    const b = i >>> 16;
    const k = i & (BLOCK - 1);
    if (b === this.blocks.length) this.blocks.push(new Block());
    const block = this.blocks[b]!;
    if (c instanceof RecordCursor) {
      const s = c.socket;
      if (!fitsColumns(s)) {
        this.records.set(i, s);
        return;
      }
      block.flags[k] = (s.cookie === null ? NULL_COOKIE : 0) | (s.inode === null ? NULL_INODE : 0);
      block.owners[k] = this.ownersId(s.owners);
    } else block.owners[k] = NO_OWNERS;
    const timer = c.timer;
    block.small[k * 4] = c.family;
    block.small[k * 4 + 1] = c.state;
    block.small[k * 4 + 2] = timer ? Math.max(0, KINDS.indexOf(timer.kind)) : 0;
    block.small[k * 4 + 3] = timer ? timer.retrans : 0;
    block.ports[k * 2] = c.localPort;
    block.ports[k * 2 + 1] = c.remotePort;
    block.addresses[k * 2] = this.address(c.localAddress);
    block.addresses[k * 2 + 1] = this.address(c.remoteAddress);
    block.numbers[k * 5] = c.recvQ;
    block.numbers[k * 5 + 1] = c.sendQ;
    block.numbers[k * 5 + 2] = timer ? timer.expiresMs : 0;
    block.numbers[k * 5 + 3] = c.uid ?? -1;
    block.numbers[k * 5 + 4] = c.inode;
    block.cookies[k] = BigInt(c.cookie || 0);
  }

  /** Socket i as a record (a new object each time; owners null, or a record's own). */
  get(i: number): TcpSocket {
    const kept = this.records.get(i);
    if (kept) return kept;
    const block = this.blocks[i >>> 16]!;
    const k = i & (BLOCK - 1);
    const kind = KINDS[block.small[k * 4 + 2]!] ?? null;
    const timer: Timer | null =
      kind === null ? null : { kind, expiresMs: block.numbers[k * 5 + 2]!, retrans: block.small[k * 4 + 3]! };
    const uid = block.numbers[k * 5 + 3]!;
    const flags = block.flags[k]!;
    const ownersId = block.owners[k]!;
    return {
      family: block.small[k * 4] === 6 ? 6 : 4,
      state: block.small[k * 4 + 1]! as TcpState,
      local: { address: this.addresses.list[block.addresses[k * 2]!]!, port: block.ports[k * 2]! },
      remote: { address: this.addresses.list[block.addresses[k * 2 + 1]!]!, port: block.ports[k * 2 + 1]! },
      recvQ: block.numbers[k * 5]!,
      sendQ: block.numbers[k * 5 + 1]!,
      timer,
      uid: uid < 0 ? null : uid,
      inode: flags & NULL_INODE ? null : block.numbers[k * 5 + 4]!,
      cookie: flags & NULL_COOKIE ? null : block.cookies[k]!.toString(),
      owners: ownersId === NO_OWNERS ? null : ownersId === NONE_FOUND ? [] : this.owners.list[ownersId]!,
    };
  }
}
