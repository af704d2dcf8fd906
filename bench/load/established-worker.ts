/**
 * @module ESTABLISHED pairs, run inside the bench namespace: it connects to
 * itself `count` times and holds both ends open (2 fds per pair).
 */
import type net from "node:net";
import { fail } from "./protocol.js";
import { runSelfConnect, type SelfConnectSettings } from "./self-connect.js";

export type EstablishedSettings = SelfConnectSettings;

const clients: net.Socket[] = [];

runSelfConnect({
  server: { pauseOnConnect: true },
  client(socket, release) {
    socket.on("connect", () => {
      clients.push(socket);
      release();
    });
  },
}).catch(fail);
