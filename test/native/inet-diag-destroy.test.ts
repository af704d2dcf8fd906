import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { AddressInfo, Socket } from "node:net";
import { release } from "node:os";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { TcpSocket } from "../../src/model/socket.js";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { buildDestroyRequest, readSockDiag } from "../../src/sources/sock-diag.js";
import { echoCloser, loopback, makeTimeWait, waitFor } from "../fixtures/native/loopback.js";

const ENOENT = 2;
const EPERM = 1;

const { addon, error } = loadNative();
const isRoot = process.getuid?.() === 0;
// dist/test/native/ -> repo root, for a child process that loads the addon directly.
const ADDON_PATH = fileURLToPath(new URL("../../../build/Release/sockdoc.node", import.meta.url));
const skip = !addon
  ? `native addon not available: ${error}`
  : !isRoot
    ? "SOCK_DESTROY needs root (CAP_NET_ADMIN)"
    : false;
const [major = 0] = release().split(".").map(Number);
const lo = loopback();
after(() => lo.cleanup());

function lookup(local: [string, number], remote: [string, number], family: 4 | 6 = 4): TcpSocket | undefined {
  return readSockDiag(addon!, 0xfff, [family]).find(
    (s) =>
      s.local.address === local[0] &&
      s.local.port === local[1] &&
      s.remote.address === remote[0] &&
      s.remote.port === remote[1],
  );
}

/** A CLOSE_WAIT socket held by this process (allowHalfOpen: the app never ends it). */
async function closeWait(host: string) {
  const server = await lo.listen(host, { allowHalfOpen: true });
  const { client, accepted } = await lo.connect(server);
  const local: [string, number] = [host, (server.address() as AddressInfo).port];
  const remote: [string, number] = [host, client.localPort!];
  const family = host.includes(":") ? 6 : 4;
  client.end();
  await waitFor(() => lookup(local, remote, family)?.state === TcpState.CLOSE_WAIT);
  const socket = lookup(local, remote, family);
  assert.equal(socket?.state, TcpState.CLOSE_WAIT, "test setup: no CLOSE_WAIT socket");
  return { socket: socket!, client, accepted, local, remote, family } as const;
}

function events(socket: Socket): string[] {
  const seen: string[] = [];
  socket.on("error", (err: NodeJS.ErrnoException) => seen.push(`error ${err.code}`));
  socket.on("close", () => seen.push("close"));
  return seen;
}

describe("inetDiagDestroy (live, loopback, root)", { skip }, () => {
  for (const host of ["127.0.0.1", "::1"]) {
    it(`destroys this process's CLOSE_WAIT socket on ${host}; a second destroy gives ENOENT`, async () => {
      const { socket, client, accepted, local, remote, family } = await closeWait(host);
      const clientEvents = events(client);
      const appEvents = events(accepted);
      const request = buildDestroyRequest(socket);

      assert.equal(addon!.inetDiagDestroy(request), 0);
      assert.equal(lookup(local, remote, family), undefined);
      // The peer gets a RST; the application keeps its fd and learns on its next call.
      assert.ok(await waitFor(() => clientEvents.includes("close")), `client: ${clientEvents}`);
      assert.ok(clientEvents.includes("error ECONNRESET"), `client: ${clientEvents}`);
      accepted.write("x");
      assert.ok(await waitFor(() => appEvents.includes("error ECONNABORTED")), `app: ${appEvents}`);

      assert.equal(addon!.inetDiagDestroy(request), ENOENT);
    });
  }

  it("refuses a socket whose cookie does not match (a new socket on the same 4-tuple)", async () => {
    const { socket, local, remote } = await closeWait("127.0.0.1");
    const next = (BigInt(socket.cookie!) + 1n).toString();
    assert.equal(addon!.inetDiagDestroy(buildDestroyRequest({ ...socket, cookie: next })), ENOENT);
    assert.equal(lookup(local, remote)?.state, TcpState.CLOSE_WAIT);
    assert.equal(addon!.inetDiagDestroy(buildDestroyRequest(socket)), 0);
  });

  it(
    "destroys a TIME_WAIT socket (kernel >= 6.0)",
    {
      skip: major < 6 ? `kernel ${release()} < 6.0` : false,
    },
    async () => {
      const server = await echoCloser("127.0.0.1");
      try {
        const port = (server.address() as AddressInfo).port;
        const [clientPort] = await makeTimeWait("127.0.0.1", port, 1);
        const tw = readSockDiag(addon!, stateBit(TcpState.TIME_WAIT), [4]).find(
          (s) => s.local.port === clientPort && s.remote.port === port,
        );
        assert.ok(tw, "test setup: no TIME_WAIT socket");
        assert.equal(addon!.inetDiagDestroy(buildDestroyRequest(tw)), 0);
        assert.equal(lookup(["127.0.0.1", clientPort!], ["127.0.0.1", port]), undefined);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it("returns EPERM, not an exception, to a process without CAP_NET_ADMIN", async () => {
    const { socket, local, remote } = await closeWait("127.0.0.1");
    const hex = buildDestroyRequest(socket).toString("hex");
    const script = `process.stdout.write(String(require(${JSON.stringify(ADDON_PATH)}).inetDiagDestroy(Buffer.from("${hex}", "hex"))))`;
    const answer = execFileSync(process.execPath, ["-e", script], {
      uid: 65534,
      gid: 65534,
      encoding: "utf8",
    });
    assert.equal(Number(answer), EPERM);
    assert.equal(lookup(local, remote)?.state, TcpState.CLOSE_WAIT);
  });

  it("rejects a request that is not a 56-byte inet_diag_req_v2", () => {
    assert.throws(() => addon!.inetDiagDestroy(Buffer.alloc(55)), RangeError);
    assert.throws(() => addon!.inetDiagDestroy("x" as unknown as Buffer), TypeError);
  });
});
