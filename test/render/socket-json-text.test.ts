/**
 * The JSON text made without intermediate objects is JSON.stringify's of the
 * socket's JSON form, for any socket.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { bareSocket, type TcpSocket } from "../../src/model/socket.js";
import { socketJsonText, socketToJson } from "../../src/render/socket-json.js";

const endpoint = fc.record({ address: fc.string(), port: fc.nat(65535) });
const socket: fc.Arbitrary<TcpSocket> = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  state: fc.integer({ min: 1, max: 11 }),
  local: endpoint,
  remote: endpoint,
  recvQ: fc.nat(),
  sendQ: fc.nat(),
  timer: fc.option(
    fc.record({
      kind: fc.constantFrom("on" as const, "keepalive" as const, "timewait" as const, "persist" as const),
      expiresMs: fc.nat(),
      retrans: fc.nat(255),
    }),
    { nil: null },
  ),
  uid: fc.option(fc.nat(), { nil: null }),
  inode: fc.option(fc.nat(), { nil: null }),
  cookie: fc.option(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String), { nil: null }),
  owners: fc.option(
    fc.array(fc.record({ pid: fc.nat(), comm: fc.string(), fd: fc.option(fc.nat(), { nil: null }) }), {
      maxLength: 3,
    }),
    { nil: null },
  ),
});

describe("socketJsonText", () => {
  it("is JSON.stringify(socketToJson(s)) for any socket", () => {
    fc.assert(
      fc.property(socket, (s) => assert.equal(socketJsonText(s), JSON.stringify(socketToJson(s)))),
      { numRuns: 500 },
    );
  });
  it("leaves endpoints with printed names to socketToJson", () => {
    const s = bareSocket(
      4,
      8,
      { address: "support", port: 0, printed: "support.dcd", service: "dcd", resolved: false },
      { address: "troppus", port: 774 },
      { recvQ: 5840 },
    );
    assert.equal(socketJsonText(s), JSON.stringify(socketToJson(s)));
  });
});
