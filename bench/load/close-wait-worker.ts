/**
 * @module CLOSE_WAIT holder, run inside the bench namespace: it connects to
 * itself `count` times and closes each client at once, while its server side
 * accepts and never closes. Result: `count` CLOSE_WAIT sockets owned by this
 * process, and as many FIN_WAIT_2 orphans on the client side (no owner).
 */
import { fail } from "./protocol.js";
import { runSelfConnect, type SelfConnectSettings } from "./self-connect.js";

export type CloseWaitSettings = SelfConnectSettings;

runSelfConnect({
  // pauseOnConnect: the FIN is never read, like an application stuck elsewhere
  // (Recv-Q 1); allowHalfOpen: Node must not close on the peer's FIN.
  server: { allowHalfOpen: true, pauseOnConnect: true },
  client(socket, release) {
    socket.on("connect", () => socket.destroy());
    socket.on("close", release);
  },
}).catch(fail);
