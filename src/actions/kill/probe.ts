/**
 * @module Probes what this kernel can destroy, before any socket of the
 * operator's is touched (the reasoning is in probe-verdict.ts):
 * SOCK_DESTROY itself by destroying a socket that cannot exist, and, only
 * when TIME_WAIT sockets were matched, TIME_WAIT by destroying one we make
 * ourselves on loopback.
 */
import { connect, createServer, type Server } from "node:net";
import { bareSocket, type TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { NativeAddon } from "../../sources/native.js";
import { buildDestroyRequest } from "../../sources/sock-diag.js";
import { destroyVerdict, timeWaitNotProbed, timeWaitVerdict } from "./probe-verdict.js";
import type { KillSupport, ProbeResult } from "./types.js";

type Destroyer = Pick<NativeAddon, "inetDiagDestroy">;

const PROBE_TIMEOUT_MS = 2000;

function socketAt(state: TcpState, localPort: number, remotePort: number, cookie: string | null): TcpSocket {
  const loopback = (port: number) => ({ address: "127.0.0.1", port });
  return bareSocket(4, state, loopback(localPort), loopback(remotePort), { inode: 0, cookie, ifindex: 0 });
}

export function probeDestroy(addon: Destroyer): ProbeResult {
  // Port 0 is never a bound local port, and the cookie is one the kernel never hands out.
  const impossible = socketAt(TcpState.ESTABLISHED, 0, 0, "18446744073709551614");
  return destroyVerdict(addon.inetDiagDestroy(buildDestroyRequest(impossible)));
}

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => {
      s.on("error", () => {});
      s.resume(); // reads the client's FIN and ends too: the client closed first, so it keeps TIME_WAIT
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** Makes one TIME_WAIT socket on 127.0.0.1 (client side); resolves [clientPort, serverPort]. */
async function ownTimeWait(): Promise<[number, number]> {
  const server = await listening();
  const serverPort = (server.address() as { port: number }).port;
  try {
    return await new Promise<[number, number]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out")), PROBE_TIMEOUT_MS);
      let clientPort = 0;
      const client = connect({ host: "127.0.0.1", port: serverPort }, () => {
        clientPort = client.localPort ?? 0;
        client.end();
      });
      client.resume();
      client.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      client.once("close", () => {
        clearTimeout(timer);
        resolve([clientPort, serverPort]);
      });
    });
  } finally {
    server.close();
  }
}

export async function probeTimeWait(addon: Destroyer, canAct: boolean): Promise<ProbeResult> {
  if (!canAct) return timeWaitNotProbed("destroying even a socket of our own needs CAP_NET_ADMIN (root)");
  let ports: [number, number];
  try {
    ports = await ownTimeWait();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return timeWaitNotProbed(`could not make a TIME_WAIT socket on loopback (${e.code ?? e.message})`);
  }
  // No cookie: the 4-tuple on loopback with our own ephemeral port is ours alone.
  const request = buildDestroyRequest(socketAt(TcpState.TIME_WAIT, ports[0], ports[1], null));
  const first = addon.inetDiagDestroy(request);
  return timeWaitVerdict(first, first === 0 ? addon.inetDiagDestroy(request) : null);
}

/** Both probes; TIME_WAIT only when some target is in TIME_WAIT and SOCK_DESTROY works at all. */
export async function probeSupport(
  addon: Destroyer,
  targets: readonly TcpSocket[],
  canAct: boolean,
): Promise<KillSupport> {
  const destroy = probeDestroy(addon);
  const wantTimeWait = targets.some((s) => s.state === TcpState.TIME_WAIT);
  if (!wantTimeWait) return { destroy, timeWait: null };
  if (destroy.status === "unsupported") {
    return { destroy, timeWait: { status: "unsupported", detail: "SOCK_DESTROY itself is not supported" } };
  }
  return { destroy, timeWait: await probeTimeWait(addon, canAct) };
}
