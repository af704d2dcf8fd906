/**
 * @module The lab's clients: connect, send the recipe's payload, then
 * half-close (FIN) and keep the socket open, so the server side sits in
 * CLOSE_WAIT and the client side in FIN_WAIT2 until the lab stops. Every
 * socket is tracked from the moment it is created, so one still connecting
 * (a full accept queue) is closed at stop too.
 */
import net from "node:net";

export class ClientPool {
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly payload: number,
  ) {}

  /** Half-closed clients (excludes those still connecting). */
  connected(): net.Socket[] {
    return [...this.sockets].filter((s) => !s.connecting && !s.destroyed);
  }

  get size(): number {
    return this.sockets.size;
  }

  connectOne(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error("lab stopped"));
      const socket = net.connect({ host: this.host, port: this.port });
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.removeListener("error", reject);
        // Errors after the FIN (a reset when the lab or sockdoc kill closes the server side) are expected.
        socket.on("error", () => {});
        if (this.payload > 0) socket.write(Buffer.alloc(this.payload, 0x78));
        socket.end();
        resolve(socket);
      });
    });
  }

  /** Connects count clients; on any failure closes them all and rejects. */
  async connectMany(count: number): Promise<net.Socket[]> {
    const settled = await Promise.allSettled(Array.from({ length: count }, () => this.connectOne()));
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) {
      this.close();
      throw failed.reason;
    }
    return settled.map((r) => (r as PromiseFulfilledResult<net.Socket>).value);
  }

  close(): void {
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}
