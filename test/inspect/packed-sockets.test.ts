/**
 * Sockets kept in typed columns come back as the records the decoder makes
 * from the same dump (live loopback sockets, IPv4 and IPv6, with timers).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PackedSockets } from "../../src/inspect/packed-sockets.js";
import { ALL_STATES_MASK } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import { visitInetDiagCursor } from "../../src/sources/sock-diag/visit.js";
import { type Loopback, loopback } from "../fixtures/native/loopback.js";

describe("PackedSockets", { skip: loadNative().addon ? false : "native addon not built" }, () => {
  let lb: Loopback;
  before(async () => {
    lb = loopback();
    for (const host of ["127.0.0.1", "::1"]) {
      const server = await lb.listen(host, { allowHalfOpen: true });
      for (let i = 0; i < 3; i++) {
        const { client } = await lb.connect(server);
        if (i === 0) client.end();
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  });
  after(async () => lb.cleanup());

  it("gives back every field the decoder reads, socket by socket", () => {
    const { addon } = loadNative();
    const dump = addon!.inetDiagDump(0, ALL_STATES_MASK);
    const records = decodeInetDiagMessages(dump);
    const packed = new PackedSockets();
    visitInetDiagCursor(dump, (c) => packed.add(c));
    assert.equal(packed.count, records.length);
    assert.ok(records.some((r) => r.family === 6) && records.some((r) => r.timer !== null));
    records.forEach((r, i) => {
      const { ifindex: _ifindex, ...expected } = r;
      assert.deepEqual(packed.get(i), expected, `socket ${i}`);
    });
  });
});
