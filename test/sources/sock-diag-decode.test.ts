import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ipv4FromBytes, ipv6FromBytes } from "../../src/model/endpoint.js";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import { diagMessage, doneMessage, errorMessage, nlmsg } from "../fixtures/native/inet-diag-messages.js";

const LOOP6 = [...new Array(15).fill(0), 1];
const MAPPED = (a: number, b: number, c: number, d: number) => [
  ...new Array(10).fill(0),
  0xff,
  0xff,
  a,
  b,
  c,
  d,
];

describe("decodeInetDiagMessages", () => {
  it("decodes an IPv4 ESTABLISHED socket field by field", () => {
    const buf = Buffer.concat([
      diagMessage({
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
      }),
      doneMessage(),
    ]);
    assert.deepEqual(decodeInetDiagMessages(buf), [
      {
        family: 4,
        state: TcpState.ESTABLISHED,
        local: { address: "10.0.0.1", port: 8080 },
        remote: { address: "192.168.1.200", port: 51234 },
        recvQ: 5,
        sendQ: 17,
        timer: { kind: "keepalive", expiresMs: 7000, retrans: 1 },
        uid: 1000,
        inode: 424242,
        cookie: "123456789",
        ifindex: 3,
        owners: null,
      },
    ]);
  });

  it("decodes IPv6 and IPv4-mapped addresses", () => {
    const buf = Buffer.concat([
      diagMessage({
        family: 10,
        state: TcpState.LISTEN,
        sport: 443,
        dport: 0,
        src: LOOP6,
        dst: new Array(16).fill(0),
      }),
      diagMessage({
        family: 10,
        state: TcpState.CLOSE_WAIT,
        sport: 443,
        dport: 40000,
        src: MAPPED(127, 0, 0, 1),
        dst: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42],
        rqueue: 1,
      }),
    ]);
    const [listen, closeWait] = decodeInetDiagMessages(buf);
    assert.equal(listen?.family, 6);
    assert.deepEqual(listen?.local, { address: "::1", port: 443 });
    assert.deepEqual(listen?.remote, { address: "::", port: 0 });
    assert.equal(closeWait?.state, TcpState.CLOSE_WAIT);
    assert.deepEqual(closeWait?.local, { address: "::ffff:127.0.0.1", port: 443 });
    assert.deepEqual(closeWait?.remote, { address: "2001:db8::42", port: 40000 });
    assert.equal(closeWait?.recvQ, 1);
  });

  it("decodes TIME_WAIT with its timer, no uid and inode 0", () => {
    const buf = diagMessage({
      family: 2,
      state: TcpState.TIME_WAIT,
      timer: 3,
      sport: 40001,
      dport: 80,
      src: [127, 0, 0, 1],
      dst: [127, 0, 0, 2],
      expires: 59123,
    });
    const [tw] = decodeInetDiagMessages(buf);
    assert.deepEqual(tw?.timer, { kind: "timewait", expiresMs: 59123, retrans: 0 });
    assert.equal(tw?.uid, null);
    assert.equal(tw?.inode, 0);
    assert.equal(tw?.owners, null);
  });

  const timers: Array<[number, string | null]> = [
    [0, null],
    [1, "on"],
    [2, "keepalive"],
    [3, "timewait"],
    [4, "persist"],
    [9, null],
  ];
  for (const [code, kind] of timers) {
    it(`maps idiag_timer ${code} to ${kind ?? "no timer"}`, () => {
      const buf = diagMessage({
        family: 2,
        state: 1,
        timer: code,
        sport: 1,
        dport: 2,
        src: [1, 2, 3, 4],
        dst: [5, 6, 7, 8],
      });
      assert.equal(decodeInetDiagMessages(buf)[0]?.timer?.kind ?? null, kind);
    });
  }

  it("reports NEW_SYN_RECV as SYN_RECV", () => {
    const buf = diagMessage({
      family: 2,
      state: 12,
      sport: 80,
      dport: 3,
      src: [1, 1, 1, 1],
      dst: [2, 2, 2, 2],
    });
    assert.equal(decodeInetDiagMessages(buf)[0]?.state, TcpState.SYN_RECV);
  });

  it("keeps 64-bit cookies exact", () => {
    for (const cookie of [0n, 1n, 4294967295n, 4294967296n, (1n << 53n) + 1n, (1n << 64n) - 1n]) {
      const buf = diagMessage({
        family: 2,
        state: 1,
        sport: 1,
        dport: 2,
        src: [1, 2, 3, 4],
        dst: [5, 6, 7, 8],
        cookie,
      });
      assert.equal(decodeInetDiagMessages(buf)[0]?.cookie, cookie.toString());
    }
  });

  it("decodes several messages, skips other types and stops at NLMSG_DONE", () => {
    const one = diagMessage({
      family: 2,
      state: 6,
      sport: 1,
      dport: 2,
      src: [1, 2, 3, 4],
      dst: [5, 6, 7, 8],
    });
    const two = diagMessage({
      family: 2,
      state: 8,
      sport: 3,
      dport: 4,
      src: [1, 2, 3, 4],
      dst: [5, 6, 7, 9],
    });
    const noop = nlmsg(1, new Uint8Array(8));
    const after = diagMessage({
      family: 2,
      state: 1,
      sport: 9,
      dport: 9,
      src: [9, 9, 9, 9],
      dst: [9, 9, 9, 9],
    });
    const sockets = decodeInetDiagMessages(Buffer.concat([one, noop, two, doneMessage(), after]));
    assert.deepEqual(
      sockets.map((s) => [s.state, s.local.port, s.remote.address]),
      [
        [TcpState.TIME_WAIT, 1, "5.6.7.8"],
        [TcpState.CLOSE_WAIT, 3, "5.6.7.9"],
      ],
    );
  });

  it("formats many distinct and repeated addresses exactly like ipv4FromBytes/ipv6FromBytes", () => {
    // Enough distinct addresses to make the address cache grow several times.
    const specs = Array.from({ length: 3000 }, (_, i) => {
      const v6 = i % 2 === 1;
      const n = i % 1100; // every address comes back after 1100 sockets
      const v4 = [200, n >> 8, n & 0xff, 255 - (n & 0x7f)];
      const src = v6 ? [0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...v4] : v4;
      const dst = v6 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : [10, 0, 0, n & 3];
      return { family: v6 ? (10 as const) : (2 as const), state: 1, sport: i, dport: 1, src, dst };
    });
    const sockets = decodeInetDiagMessages(Buffer.concat(specs.map(diagMessage)));
    sockets.forEach((s, i) => {
      const spec = specs[i]!;
      const text = spec.family === 10 ? ipv6FromBytes : ipv4FromBytes;
      assert.equal(s.local.address, text(new Uint8Array(spec.src)), `socket ${i}`);
      assert.equal(s.remote.address, text(new Uint8Array(spec.dst)), `socket ${i}`);
    });
  });

  it("returns nothing for an empty buffer", () => {
    assert.deepEqual(decodeInetDiagMessages(Buffer.alloc(0)), []);
  });

  it("decodes a buffer that does not start 4-byte aligned", () => {
    const message = diagMessage({
      family: 2,
      state: 1,
      sport: 5,
      dport: 6,
      src: [1, 2, 3, 4],
      dst: [5, 6, 7, 8],
      inode: 77,
    });
    const backing = Buffer.alloc(message.length + 1);
    message.copy(backing, 1);
    const [socket] = decodeInetDiagMessages(backing.subarray(1));
    assert.equal(socket?.inode, 77);
    assert.equal(socket?.local.port, 5);
  });

  it("throws InputError on NLMSG_ERROR", () => {
    assert.throws(
      () => decodeInetDiagMessages(errorMessage(2)),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.match(err.message, /kernel error 2/);
        return true;
      },
    );
  });

  it("throws a clear InputError for every cut that is not a message boundary", () => {
    const one = diagMessage({
      family: 10,
      state: 1,
      sport: 1,
      dport: 2,
      src: LOOP6,
      dst: LOOP6,
      trailing: 8,
    });
    const two = diagMessage({
      family: 2,
      state: 8,
      sport: 3,
      dport: 4,
      src: [1, 2, 3, 4],
      dst: [5, 6, 7, 9],
    });
    const full = Buffer.concat([one, two]);
    for (let cut = 0; cut <= full.length; cut++) {
      const part = full.subarray(0, cut);
      if (cut === 0 || cut === one.length || cut === full.length) {
        const expected = cut === 0 ? 0 : cut === one.length ? 1 : 2;
        assert.equal(decodeInetDiagMessages(part).length, expected);
        continue;
      }
      assert.throws(
        () => decodeInetDiagMessages(part),
        /sock_diag reply truncated at byte \d+/,
        `cut at ${cut}`,
      );
    }
  });

  it("rejects a message too short to hold an inet_diag_msg", () => {
    assert.throws(() => decodeInetDiagMessages(nlmsg(20, new Uint8Array(40))), /needs 72/);
  });

  it("never fails on arbitrary bytes except with InputError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          decodeInetDiagMessages(Buffer.from(bytes));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never fails on valid messages with random field values", () => {
    const field = fc.record({
      family: fc.constantFrom(2 as const, 10 as const),
      state: fc.integer({ min: 1, max: 12 }),
      timer: fc.integer({ min: 0, max: 255 }),
      sport: fc.integer({ min: 0, max: 65535 }),
      dport: fc.integer({ min: 0, max: 65535 }),
      src: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
      dst: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
      inode: fc.integer({ min: 0, max: 0xffffffff }),
      trailing: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 5 }), (specs) => {
        const sockets = decodeInetDiagMessages(Buffer.concat(specs.map(diagMessage)));
        assert.equal(sockets.length, specs.length);
        sockets.forEach((s, i) => {
          assert.equal(s.local.port, specs[i]?.sport);
          assert.equal(s.inode, specs[i]?.inode);
        });
      }),
    );
  });
});
