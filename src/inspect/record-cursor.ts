/**
 * @module A SocketCursor over a decoded TcpSocket, so that sockets from
 * /proc/net/tcp and from captures reach the analyses through the same
 * interface as a netlink dump's cursor: each analysis has one implementation.
 */
import type { Family } from "../model/endpoint.js";
import type { TcpSocket, Timer, TimerKind } from "../model/socket.js";
import type { TcpState } from "../model/tcp-state.js";
import type { SocketCursor } from "../sources/sock-diag.js";

export class RecordCursor implements SocketCursor {
  socket!: TcpSocket;

  /** Points the cursor at s; returns itself for a visitor. */
  at(s: TcpSocket): this {
    this.socket = s;
    return this;
  }

  get state(): TcpState {
    return this.socket.state;
  }
  get family(): Family {
    return this.socket.family;
  }
  get localAddress(): string {
    return this.socket.local.address;
  }
  get localPort(): number {
    return this.socket.local.port;
  }
  get remoteAddress(): string {
    return this.socket.remote.address;
  }
  get remotePort(): number {
    return this.socket.remote.port;
  }
  get timerKind(): TimerKind | null {
    return this.socket.timer?.kind ?? null;
  }
  get expiresMs(): number | null {
    return this.socket.timer?.expiresMs ?? null;
  }
  get timer(): Timer | null {
    return this.socket.timer;
  }
  get recvQ(): number {
    return this.socket.recvQ;
  }
  get sendQ(): number {
    return this.socket.sendQ;
  }
  get uid(): number | null {
    return this.socket.uid;
  }
  get inode(): number {
    return this.socket.inode ?? 0;
  }
  get ifindex(): number {
    return this.socket.ifindex ?? 0;
  }
  get cookie(): string {
    return this.socket.cookie ?? "";
  }
}
