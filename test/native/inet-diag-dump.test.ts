import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { readSockDiag } from "../../src/sources/sock-diag.js";
import { echoCloser, fdOf, inodeOfFd, loopback, makeTimeWait, waitFor } from "../fixtures/native/loopback.js";

const { addon, error } = loadNative();
const skip = addon ? false : `native addon not available: ${error}`;
const lo = loopback();
after(() => lo.cleanup());

const WILDCARD: Record<string, string> = { "127.0.0.1": "0.0.0.0", "::1": "::" };

function dump(mask = ALL_STATES_MASK): TcpSocket[] {
  return readSockDiag(addon!, mask, [4, 6]);
}

function find(sockets: TcpSocket[], local: [string, number], remote: [string, number]): TcpSocket[] {
  return sockets.filter(
    (s) =>
      s.local.address === local[0] &&
      s.local.port === local[1] &&
      s.remote.address === remote[0] &&
      s.remote.port === remote[1],
  );
}

describe("inetDiagDump (live, loopback)", { skip }, () => {
  for (const host of ["127.0.0.1", "::1"]) {
    it(`reports a listener and an established pair on ${host} with their inodes`, async () => {
      const server = await lo.listen(host);
      const port = (server.address() as AddressInfo).port;
      const { client, accepted } = await lo.connect(server);
      const sockets = dump();
      const family = host === "::1" ? 6 : 4;

      const [listener, ...extraListeners] = find(sockets, [host, port], [WILDCARD[host]!, 0]);
      assert.equal(extraListeners.length, 0);
      assert.equal(listener?.state, TcpState.LISTEN);
      assert.equal(listener?.family, family);
      assert.equal(listener?.inode, inodeOfFd(fdOf(server)));

      const [out] = find(sockets, [host, client.localPort!], [host, port]);
      assert.equal(out?.state, TcpState.ESTABLISHED);
      assert.equal(out?.inode, inodeOfFd(fdOf(client)));
      assert.equal(out?.uid, process.getuid!());
      assert.match(out?.cookie ?? "", /^[1-9]\d*$/);
      assert.equal(out?.owners, null);

      const [inbound] = find(sockets, [host, port], [host, client.localPort!]);
      assert.equal(inbound?.state, TcpState.ESTABLISHED);
      assert.equal(inbound?.inode, inodeOfFd(fdOf(accepted)));
      assert.notEqual(inbound?.cookie, out?.cookie);
    });
  }

  it("filters by state in the kernel", async () => {
    const server = await lo.listen("127.0.0.1");
    const { client } = await lo.connect(server);
    const port = (server.address() as AddressInfo).port;
    const listeners = dump(stateBit(TcpState.LISTEN));
    assert.ok(listeners.length > 0);
    assert.ok(listeners.every((s) => s.state === TcpState.LISTEN));
    assert.equal(find(listeners, ["127.0.0.1", port], ["0.0.0.0", 0]).length, 1);
    assert.equal(find(listeners, ["127.0.0.1", client.localPort!], ["127.0.0.1", port]).length, 0);
    assert.deepEqual(dump(0), []);
  });

  it("reports CLOSE_WAIT on the side that did not close, FIN_WAIT2 on the other", async () => {
    const server = await lo.listen("127.0.0.1", { allowHalfOpen: true });
    const port = (server.address() as AddressInfo).port;
    const { client, accepted } = await lo.connect(server);
    client.end();
    const local: [string, number] = ["127.0.0.1", port];
    const remote: [string, number] = ["127.0.0.1", client.localPort!];
    const seen = await waitFor(() => find(dump(stateBit(TcpState.CLOSE_WAIT)), local, remote).length === 1);
    assert.ok(seen, "CLOSE_WAIT socket did not appear");
    const [closeWait] = find(dump(), local, remote);
    assert.equal(closeWait?.state, TcpState.CLOSE_WAIT);
    assert.equal(closeWait?.inode, inodeOfFd(fdOf(accepted)));
    const [finWait] = find(dump(), remote, local);
    assert.equal(finWait?.state, TcpState.FIN_WAIT2);
  });

  it("reports TIME_WAIT on the side that closed first, with its timer and no inode", async () => {
    const server = await echoCloser("127.0.0.1");
    try {
      const port = (server.address() as AddressInfo).port;
      const [clientPort] = await makeTimeWait("127.0.0.1", port, 1);
      const [tw, ...rest] = find(
        dump(stateBit(TcpState.TIME_WAIT)),
        ["127.0.0.1", clientPort!],
        ["127.0.0.1", port],
      );
      assert.equal(rest.length, 0);
      assert.equal(tw?.state, TcpState.TIME_WAIT);
      assert.equal(tw?.timer?.kind, "timewait");
      assert.ok(
        tw!.timer!.expiresMs > 0 && tw!.timer!.expiresMs <= 60_000,
        `expires ${tw?.timer?.expiresMs}`,
      );
      assert.equal(tw?.inode, 0);
      assert.equal(tw?.uid, null);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reads a dump spread over many netlink datagrams completely", async () => {
    const server = await echoCloser("127.0.0.1");
    try {
      const port = (server.address() as AddressInfo).port;
      const ports = new Set(await makeTimeWait("127.0.0.1", port, 1500));
      // 1500 messages of 88 bytes are several 32 KiB datagrams; each tuple must come back once.
      const ours = dump(stateBit(TcpState.TIME_WAIT))
        .filter((s) => s.remote.port === port && s.remote.address === "127.0.0.1" && ports.has(s.local.port))
        .map((s) => s.local.port);
      assert.equal(ours.length, ports.size);
      assert.deepEqual(new Set(ours), ports);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("rejects bad arguments before talking to the kernel", () => {
    assert.throws(() => addon!.inetDiagDump(3, 1), RangeError);
    assert.throws(() => addon!.inetDiagDump("2" as unknown as number, 1), TypeError);
  });
});
