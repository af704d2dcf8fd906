/**
 * Sockets kept in typed columns come back as the records the decoder makes
 * from the same dump (live loopback sockets, IPv4 and IPv6, with timers),
 * and a capture's records as they were parsed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseSs } from "../../src/capture/ss.js";
import { PackedSockets } from "../../src/inspect/packed-sockets.js";
import { RecordCursor } from "../../src/inspect/record-cursor.js";
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

describe("PackedSockets of a capture's records", () => {
  const text = [
    "Netid State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
    'tcp   ESTAB      0      0      10.0.0.5:22         10.0.0.9:50000    users:(("sshd",pid=812,fd=3)) timer:(keepalive,89min,0) uid:1000 ino:4242 sk:ffff8880abcd',
    'tcp   ESTAB      0      0      10.0.0.5:22         10.0.0.9:50001    users:(("sshd",pid=812,fd=3))',
    'tcp   CLOSE-WAIT 1      0      [::1]:8080          [::1]:40000       users:(("java",pid=77,fd=9),("java",pid=78,fd=9))',
    "tcp   TIME-WAIT  0      0      10.0.0.5:22         10.0.0.9:50002    timer:(timewait,30sec,0)",
    "tcp   ESTAB      0      0      10.0.0.5:ssh        localhost:50003",
    "tcp   SYN-SENT   0      1      10.0.0.5:50004      10.0.0.9:443      timer:(on,1sec,300)",
    "",
  ].join("\n");

  it("packs the rows the columns hold and gives every record back as it was", () => {
    const { sockets } = parseSs(text, "t");
    assert.equal(sockets.length, 6);
    const packed = new PackedSockets();
    const cursor = new RecordCursor();
    for (const s of sockets) packed.add(cursor.at(s));
    sockets.forEach((s, i) => assert.deepEqual(packed.get(i), s, `row ${i}`));
    // Columns, not the records: rows 0-3 fit; printed names and 300 retransmits do not.
    assert.deepEqual(
      sockets.map((s, i) => packed.get(i) === s),
      [false, false, false, false, true, true],
    );
    // One owner list for the rows that print the same owners.
    assert.equal(packed.get(0).owners, packed.get(1).owners);
  });
});
