import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import type { SocketCursor } from "../../src/sources/sock-diag/cursor.js";
import { visitInetDiagCursor } from "../../src/sources/sock-diag/visit.js";
import {
  type DiagMessageSpec,
  diagMessage,
  doneMessage,
  errorMessage,
  nlmsg,
} from "../fixtures/native/inet-diag-messages.js";

const MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
const DB8 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42];

/** A dump covering both families, mapped addresses, every timer code, mini sockets and big cookies. */
const SPECS: DiagMessageSpec[] = [
  {
    family: 2,
    state: TcpState.ESTABLISHED,
    timer: 2,
    retrans: 1,
    sport: 8080,
    dport: 51234,
    src: [10, 0, 0, 1],
    dst: [192, 168, 1, 200],
    ifindex: 3,
    cookie: 123456789n,
    expires: 7000,
    rqueue: 5,
    wqueue: 17,
    uid: 1000,
    inode: 424242,
    trailing: 12,
  },
  {
    family: 2,
    state: TcpState.TIME_WAIT,
    timer: 3,
    sport: 40001,
    dport: 80,
    src: [127, 0, 0, 1],
    dst: [127, 0, 0, 2],
    expires: 59123,
    uid: 77,
  },
  {
    family: 10,
    state: TcpState.CLOSE_WAIT,
    timer: 0,
    sport: 443,
    dport: 40000,
    src: MAPPED,
    dst: DB8,
    rqueue: 1,
    cookie: (1n << 64n) - 1n,
    uid: 33,
  },
  { family: 10, state: 12, timer: 1, sport: 80, dport: 3, src: DB8, dst: MAPPED, expires: 200, uid: 5 },
  { family: 2, state: TcpState.LISTEN, timer: 9, sport: 22, dport: 0, src: [0, 0, 0, 0], dst: [0, 0, 0, 0] },
  {
    family: 2,
    state: TcpState.FIN_WAIT2,
    timer: 4,
    sport: 1,
    dport: 2,
    src: [1, 2, 3, 4],
    dst: [5, 6, 7, 8],
  },
];

/** A plain record with every TcpSocket field read through the cursor's socket view. */
function viewRecord(s: TcpSocket): TcpSocket {
  return {
    family: s.family,
    state: s.state,
    local: { address: s.local.address, port: s.local.port },
    remote: { address: s.remote.address, port: s.remote.port },
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    timer: s.timer,
    uid: s.uid,
    inode: s.inode,
    cookie: s.cookie,
    ifindex: s.ifindex!,
    owners: s.owners,
  };
}

function visitAll(buf: Uint8Array): Array<{ fields: Record<string, unknown>; view: TcpSocket }> {
  const seen: Array<{ fields: Record<string, unknown>; view: TcpSocket }> = [];
  visitInetDiagCursor(buf, (c: SocketCursor) => {
    seen.push({
      fields: {
        state: c.state,
        family: c.family,
        localAddress: c.localAddress,
        localPort: c.localPort,
        remoteAddress: c.remoteAddress,
        remotePort: c.remotePort,
        timerKind: c.timerKind,
        expiresMs: c.expiresMs,
      },
      view: viewRecord(c.socket),
    });
  });
  return seen;
}

/** What the cursor's own fields must say for a decoded socket. */
function expectedFields(s: TcpSocket): Record<string, unknown> {
  return {
    state: s.state,
    family: s.family,
    localAddress: s.local.address,
    localPort: s.local.port,
    remoteAddress: s.remote.address,
    remotePort: s.remote.port,
    timerKind: s.timer?.kind ?? null,
    expiresMs: s.timer?.expiresMs ?? null,
  };
}

describe("visitInetDiagCursor", () => {
  it("reads every socket as decodeInetDiagMessages decodes it, in order", () => {
    const buf = Buffer.concat([...SPECS.map(diagMessage), doneMessage()]);
    const decoded = decodeInetDiagMessages(buf);
    const seen = visitAll(buf);
    assert.equal(seen.length, SPECS.length);
    seen.forEach((s, i) => {
      assert.deepEqual(s.fields, expectedFields(decoded[i]!), `socket ${i}`);
      assert.deepEqual(s.view, decoded[i], `socket ${i} through the TcpSocket view`);
    });
    // Spot checks that the comparison is not vacuous.
    assert.equal(seen[1]!.fields.expiresMs, 59123);
    assert.equal(seen[1]!.view.uid, null, "TIME_WAIT has no uid");
    assert.equal(seen[2]!.fields.localAddress, "::ffff:127.0.0.1");
    assert.equal(seen[2]!.view.cookie, "18446744073709551615");
    assert.equal(seen[3]!.fields.state, TcpState.SYN_RECV, "NEW_SYN_RECV reads as SYN_RECV");
    assert.equal(seen[4]!.fields.expiresMs, null, "unknown timer code: no timer");
  });

  it("agrees with the decoder on random messages", () => {
    const bytes = (n: number) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n });
    const spec = fc.record({
      family: fc.constantFrom<2 | 10>(2, 10),
      state: fc.integer({ min: 0, max: 13 }),
      timer: fc.integer({ min: 0, max: 6 }),
      retrans: fc.integer({ min: 0, max: 255 }),
      sport: fc.integer({ min: 0, max: 65535 }),
      dport: fc.integer({ min: 0, max: 65535 }),
      v4: fc.tuple(bytes(4), bytes(4)),
      v6: fc.tuple(bytes(16), bytes(16)),
      cookie: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      expires: fc.nat(),
      uid: fc.nat(),
      inode: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 20 }), (specs) => {
        const buf = Buffer.concat(
          specs.map((s) => {
            const [src, dst] = s.family === 2 ? s.v4 : s.v6;
            return diagMessage({ ...s, src, dst });
          }),
        );
        const decoded = decodeInetDiagMessages(buf);
        const seen = visitAll(buf);
        assert.equal(seen.length, decoded.length);
        seen.forEach((s, i) => {
          assert.deepEqual(s.fields, expectedFields(decoded[i]!));
          assert.deepEqual(s.view, decoded[i]);
        });
      }),
    );
  });

  it("skips other message types and stops at NLMSG_DONE", () => {
    const [a, b] = SPECS;
    const buf = Buffer.concat([diagMessage(a!), nlmsg(1, new Uint8Array(8)), diagMessage(b!), doneMessage()]);
    const ports = visitAll(Buffer.concat([buf, diagMessage(a!)])).map((s) => s.fields.localPort);
    assert.deepEqual(ports, [8080, 40001]);
  });

  it("reads a buffer that does not start 4-byte aligned", () => {
    const message = diagMessage(SPECS[0]!);
    const backing = Buffer.alloc(message.length + 1);
    message.copy(backing, 1);
    const [seen] = visitAll(backing.subarray(1));
    assert.equal(seen?.fields.remoteAddress, "192.168.1.200");
    assert.equal(seen?.view.inode, 424242);
  });

  it("fails like the decoder on an unknown family, a kernel error and a cut reply", () => {
    const bad = diagMessage({ ...SPECS[0]!, family: 7 as never });
    const cut = diagMessage(SPECS[1]!).subarray(0, 40);
    for (const buf of [bad, errorMessage(2), cut]) {
      let expected: unknown;
      try {
        decodeInetDiagMessages(buf);
      } catch (err) {
        expected = err;
      }
      assert.ok(expected instanceof InputError);
      assert.throws(
        () => visitAll(buf),
        (err: unknown) => err instanceof InputError && err.message === (expected as InputError).message,
      );
    }
  });
});
