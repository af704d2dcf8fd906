import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { TcpSocket } from "../../src/model/socket.js";
import { destroyBatchAsync } from "../../src/actions/kill/destroy-batch.js";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { readSockDiag } from "../../src/sources/sock-diag.js";
import { loopback, waitFor } from "../fixtures/native/loopback.js";

const ENOENT = 2;
const { addon, error } = loadNative();
const skip = !addon
  ? `native addon not available: ${error}`
  : process.getuid?.() !== 0
    ? "SOCK_DESTROY needs root (CAP_NET_ADMIN)"
    : false;
const lo = loopback();
after(() => lo.cleanup());

describe("destroyBatchAsync (live, loopback, root)", { skip }, () => {
  it("destroys a batch by exact id in order, answers per socket, and ENOENT once they are gone", async () => {
    const server = await lo.listen("127.0.0.1", { allowHalfOpen: true });
    const port = (server.address() as AddressInfo).port;
    const pairs = await Promise.all(Array.from({ length: 20 }, () => lo.connect(server)));
    const clientPorts = new Set(pairs.map((p) => p.client.localPort!));
    for (const p of pairs) p.client.end();
    const closeWait = () =>
      readSockDiag(addon!, stateBit(TcpState.CLOSE_WAIT), [4]).filter(
        (s) => s.local.port === port && clientPorts.has(s.remote.port),
      );
    assert.ok(await waitFor(() => closeWait().length === 20), "test setup: 20 CLOSE_WAIT sockets");
    const targets: TcpSocket[] = closeWait();
    // One socket whose id cannot be encoded is not sent, and does not stop the batch.
    const bad = { ...targets[0]!, local: { ...targets[0]!.local, address: "not an address" } };

    const answers = await destroyBatchAsync(addon!, [...targets, bad]);

    assert.deepEqual(
      answers.map((a) => a.errno),
      [...targets.map(() => 0), null],
    );
    assert.deepEqual(
      answers.map((a) => a.socket),
      [...targets, bad],
    );
    assert.equal(closeWait().length, 0, "the destroyed sockets are still listed");
    const again = await destroyBatchAsync(addon!, targets);
    assert.deepEqual(
      again.map((a) => a.errno),
      targets.map(() => ENOENT),
    );
  });
});
