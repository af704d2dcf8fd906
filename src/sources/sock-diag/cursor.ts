/**
 * @module A reusable cursor over one sock_diag dump: it points at one struct
 * inet_diag_msg at a time, so a streaming reader (timewait's grouping) walks
 * 100k sockets without a record per socket, and allocates nothing per socket
 * beyond one string per distinct address (address-cache.ts). Field meanings
 * and conversions are decode.ts's, so a cursor reads what the decoder would
 * have built.
 */
import type { Family } from "../../model/endpoint.js";
import type { TcpSocket, Timer, TimerKind } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { AddressCache } from "./address-cache.js";
import { CursorSocket } from "./cursor-socket.js";
import { AF_INET, cookieString, ID, MSG, TIMER_KINDS } from "./layout.js";

/** The socket a cursor points at; valid only until the cursor moves. */
export interface SocketCursor {
  /** Kernel state; request sockets read as SYN_RECV, as ss shows them. */
  readonly state: TcpState;
  readonly family: Family;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly timerKind: TimerKind | null;
  /** Time left on the socket's timer in ms; null when it has none. */
  readonly expiresMs: number | null;
  /**
   * The same socket as a TcpSocket, for code written for records (the filter
   * predicates). One object for every socket, read through the cursor.
   */
  readonly socket: TcpSocket;
  readonly timer: Timer | null;
  readonly recvQ: number;
  readonly sendQ: number;
  /** null for mini sockets (TIME_WAIT, request socks): the kernel writes 0, not their owner's uid. */
  readonly uid: number | null;
  readonly inode: number;
  readonly ifindex: number;
  /** 64-bit cookie as exact decimal text. */
  readonly cookie: string;
}

export class InetDiagCursor implements SocketCursor {
  /** Offset of the current struct inet_diag_msg (4-aligned). */
  private p = 0;
  private readonly u32: Uint32Array;
  private readonly addresses: AddressCache;
  readonly socket: TcpSocket;
  // The fields every reader wants are read by moveTo, addresses included: plain
  // fields cost less than getters while the JIT is still cold, and one pass over
  // 100k sockets is mostly that (measured: ~25% faster than reading on demand).
  state: TcpState = TcpState.CLOSE;
  family: Family = 4;
  localAddress = "";
  localPort = 0;
  remoteAddress = "";
  remotePort = 0;
  timerKind: TimerKind | null = null;
  expiresMs: number | null = null;

  /** bytes: a whole dump, 4-byte aligned (framing.ts aligned()). */
  constructor(private readonly bytes: Uint8Array) {
    this.u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    this.addresses = new AddressCache(
      bytes,
      new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2),
    );
    this.socket = new CursorSocket(this);
  }

  /** Points the cursor at the message at msgOffset (as framing.ts hands it over; family checked). */
  moveTo(msgOffset: number): void {
    const bytes = this.bytes;
    const p = msgOffset;
    this.p = p;
    const raw = bytes[p + MSG.state]!;
    this.state = raw === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : (raw as TcpState);
    const id = p + MSG.id;
    this.localPort = (bytes[id + ID.sport]! << 8) | bytes[id + ID.sport + 1]!;
    this.remotePort = (bytes[id + ID.dport]! << 8) | bytes[id + ID.dport + 1]!;
    if (bytes[p + MSG.family] === AF_INET) {
      this.family = 4;
      this.localAddress = this.addresses.v4At(id + ID.src);
      this.remoteAddress = this.addresses.v4At(id + ID.dst);
    } else {
      this.family = 6;
      this.localAddress = this.addresses.v6At(id + ID.src);
      this.remoteAddress = this.addresses.v6At(id + ID.dst);
    }
    const kind = TIMER_KINDS[bytes[p + MSG.timer]!] ?? null;
    this.timerKind = kind;
    this.expiresMs = kind === null ? null : this.u32[(p + MSG.expires) >>> 2]!;
  }

  // Fields few readers want, read on demand.

  /** The timer as the decoder builds it (a new object each time). */
  get timer(): Timer | null {
    const kind = this.timerKind;
    if (kind === null) return null;
    return { kind, expiresMs: this.expiresMs!, retrans: this.bytes[this.p + MSG.retrans]! };
  }

  get recvQ(): number {
    return this.u32[(this.p + MSG.rqueue) >>> 2]!;
  }

  get sendQ(): number {
    return this.u32[(this.p + MSG.wqueue) >>> 2]!;
  }

  get uid(): number | null {
    const raw = this.bytes[this.p + MSG.state]!;
    return raw === TcpState.TIME_WAIT || raw === TcpState.NEW_SYN_RECV
      ? null
      : this.u32[(this.p + MSG.uid) >>> 2]!;
  }

  get inode(): number {
    return this.u32[(this.p + MSG.inode) >>> 2]!;
  }

  get ifindex(): number {
    return this.u32[(this.p + MSG.id + ID.ifindex) >>> 2]!;
  }

  get cookie(): string {
    const w = (this.p + MSG.id + ID.cookie) >>> 2;
    return cookieString(this.u32[w]!, this.u32[w + 1]!);
  }
}
