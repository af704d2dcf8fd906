import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { constants } from "node:os";
import { after, describe, it } from "node:test";
import { probeDestroy, probeSupport, probeTimeWait } from "../../../src/actions/kill/probe.js";
import { stateBit, TcpState } from "../../../src/model/tcp-state.js";
import { loadNative } from "../../../src/sources/native.js";
import { ID, REQ } from "../../../src/sources/sock-diag/layout.js";
import { buildDestroyRequest, readSockDiag } from "../../../src/sources/sock-diag.js";
import { echoCloser, loopback, makeTimeWait, waitFor } from "../../fixtures/native/loopback.js";
import { sock } from "./make.js";

const E = constants.errno;

function answering(errno: number) {
  const calls: Buffer[] = [];
  return {
    calls,
    inetDiagDestroy(request: Buffer) {
      calls.push(request);
      return errno;
    },
  };
}

describe("probeSupport (fake kernel)", () => {
  it("probes TIME_WAIT only when a TIME_WAIT socket was matched", async () => {
    const addon = answering(E.ENOENT);
    const s = await probeSupport(addon, [sock()], true);
    assert.equal(s.destroy.status, "supported");
    assert.equal(s.timeWait, null);
    assert.equal(addon.calls.length, 1);
  });

  it("asks about a socket that cannot exist: local port 0", async () => {
    const addon = answering(E.ENOENT);
    probeDestroy(addon);
    const request = addon.calls[0]!;
    assert.equal(request.readUInt16BE(REQ.id + ID.sport), 0, "sport");
    assert.equal(request.readUInt16BE(REQ.id + ID.dport), 0, "dport");
  });

  it("does not probe TIME_WAIT when SOCK_DESTROY itself is missing", async () => {
    const addon = answering(E.EOPNOTSUPP);
    const s = await probeSupport(addon, [sock({ state: TcpState.TIME_WAIT })], true);
    assert.equal(s.destroy.status, "unsupported");
    assert.match(s.destroy.detail, /CONFIG_INET_DIAG_DESTROY/);
    assert.equal(s.timeWait?.status, "unsupported");
    assert.equal(addon.calls.length, 1);
  });

  it("does not probe TIME_WAIT without CAP_NET_ADMIN, and says why", async () => {
    const addon = answering(E.ENOENT);
    const s = await probeSupport(addon, [sock({ state: TcpState.TIME_WAIT })], false);
    assert.equal(s.timeWait?.status, "unknown");
    assert.match(s.timeWait?.detail ?? "", /not probed: .*CAP_NET_ADMIN/);
    assert.equal(addon.calls.length, 1);
  });
});

const { addon, error } = loadNative();
const isRoot = process.getuid?.() === 0;
const skip = !addon ? `native addon not available: ${error}` : !isRoot ? "SOCK_DESTROY needs root" : false;

describe("probes agree with destroying real sockets (live, loopback, root)", { skip }, () => {
  const lo = loopback();
  after(() => lo.cleanup());

  it("SOCK_DESTROY: supported exactly when a real CLOSE_WAIT of ours can be destroyed", async () => {
    const verdict = probeDestroy(addon!);
    assert.notEqual(verdict.status, "unknown", verdict.detail);
    const server = await lo.listen("127.0.0.1", { allowHalfOpen: true });
    const { client } = await lo.connect(server);
    const port = (server.address() as AddressInfo).port;
    const find = () =>
      readSockDiag(addon!, stateBit(TcpState.CLOSE_WAIT), [4]).find(
        (s) => s.local.port === port && s.remote.port === client.localPort,
      );
    client.end();
    assert.ok(await waitFor(() => find() !== undefined), "test setup: no CLOSE_WAIT socket");
    const errno = addon!.inetDiagDestroy(buildDestroyRequest(find()!));
    assert.equal(
      verdict.status === "supported",
      errno === 0,
      `probe ${verdict.status}, real destroy ${errno}`,
    );
  });

  it("TIME_WAIT: supported exactly when a real TIME_WAIT socket can be destroyed", async () => {
    const verdict = await probeTimeWait(addon!, true);
    assert.notEqual(verdict.status, "unknown", verdict.detail);
    const server = await echoCloser("127.0.0.1");
    try {
      const port = (server.address() as AddressInfo).port;
      const [clientPort] = await makeTimeWait("127.0.0.1", port, 1);
      const tw = readSockDiag(addon!, stateBit(TcpState.TIME_WAIT), [4]).find(
        (s) => s.local.port === clientPort && s.remote.port === port,
      );
      assert.ok(tw, "test setup: no TIME_WAIT socket");
      const errno = addon!.inetDiagDestroy(buildDestroyRequest(tw));
      assert.equal(
        verdict.status === "supported",
        errno === 0,
        `probe ${verdict.status}, real destroy ${errno}`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
