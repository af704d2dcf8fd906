/**
 * @module A TcpSocket read through a SocketCursor: the one object a
 * streaming reader hands to code written for TcpSocket records (the filter
 * predicates), so that filtering 100k sockets builds no record per socket.
 * It changes as the cursor moves: use it inside the visit, never keep it.
 */
import type { Endpoint, Family } from "../../model/endpoint.js";
import type { Owner, TcpSocket, Timer } from "../../model/socket.js";
import type { TcpState } from "../../model/tcp-state.js";
import type { SocketCursor } from "./cursor.js";

class LocalEnd implements Endpoint {
  constructor(private readonly c: SocketCursor) {}
  get address(): string {
    return this.c.localAddress;
  }
  get port(): number {
    return this.c.localPort;
  }
}

class RemoteEnd implements Endpoint {
  constructor(private readonly c: SocketCursor) {}
  get address(): string {
    return this.c.remoteAddress;
  }
  get port(): number {
    return this.c.remotePort;
  }
}

export class CursorSocket implements TcpSocket {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** sock_diag does not know owners. */
  readonly owners: Owner[] | null = null;

  constructor(private readonly c: SocketCursor) {
    this.local = new LocalEnd(c);
    this.remote = new RemoteEnd(c);
  }

  get family(): Family {
    return this.c.family;
  }
  get state(): TcpState {
    return this.c.state;
  }
  get recvQ(): number {
    return this.c.recvQ;
  }
  get sendQ(): number {
    return this.c.sendQ;
  }
  get timer(): Timer | null {
    return this.c.timer;
  }
  get uid(): number | null {
    return this.c.uid;
  }
  get inode(): number {
    return this.c.inode;
  }
  get cookie(): string {
    return this.c.cookie;
  }
  get ifindex(): number {
    return this.c.ifindex;
  }
}
