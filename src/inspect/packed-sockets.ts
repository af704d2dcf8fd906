/**
 * @module Sockets kept in typed columns instead of objects: what `ls --json`
 * holds for 200k sockets read from netlink (about 40 bytes a socket, where
 * a record with its endpoints and timer takes about 300, and its JSON text
 * 260). A socket is rebuilt as a TcpSocket when it is written. Sockets from
 * records (/proc, a capture: endpoints may carry printed names) are kept as
 * they are.
 */
import type { TcpSocket, Timer, TimerKind } from "../model/socket.js";
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
}

export class PackedSockets {
  private readonly blocks: Block[] = [];
  private readonly addressIds = new Map<string, number>();
  private readonly addressList: string[] = [];
  /** Sockets that came as records, by index. */
  private readonly records = new Map<number, TcpSocket>();
  private n = 0;

  get count(): number {
    return this.n;
  }

  private address(a: string): number {
    let id = this.addressIds.get(a);
    if (id === undefined) {
      id = this.addressList.length;
      this.addressIds.set(a, id);
      this.addressList.push(a);
    }
    return id;
  }

  add(c: SocketCursor): void {
    const i = this.n++;
    if (c instanceof RecordCursor) {
      this.records.set(i, c.socket);
      return;
    }
    const b = i >>> 16;
    const k = i & (BLOCK - 1);
    if (b === this.blocks.length) this.blocks.push(new Block());
    const block = this.blocks[b]!;
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
    block.cookies[k] = BigInt(c.cookie);
  }

  /** Socket i as a record (a new object each time; owners null). */
  get(i: number): TcpSocket {
    const kept = this.records.get(i);
    if (kept) return kept;
    const block = this.blocks[i >>> 16]!;
    const k = i & (BLOCK - 1);
    const kind = KINDS[block.small[k * 4 + 2]!] ?? null;
    const timer: Timer | null =
      kind === null ? null : { kind, expiresMs: block.numbers[k * 5 + 2]!, retrans: block.small[k * 4 + 3]! };
    const uid = block.numbers[k * 5 + 3]!;
    return {
      family: block.small[k * 4] === 6 ? 6 : 4,
      state: block.small[k * 4 + 1]! as TcpState,
      local: { address: this.addressList[block.addresses[k * 2]!]!, port: block.ports[k * 2]! },
      remote: { address: this.addressList[block.addresses[k * 2 + 1]!]!, port: block.ports[k * 2 + 1]! },
      recvQ: block.numbers[k * 5]!,
      sendQ: block.numbers[k * 5 + 1]!,
      timer,
      uid: uid < 0 ? null : uid,
      inode: block.numbers[k * 5 + 4]!,
      cookie: block.cookies[k]!.toString(),
      owners: null,
    };
  }
}
