import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ipv6FromBytes } from "../../src/model/endpoint.js";
import { InputError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { ipv4ToBytes, ipv6ToBytes } from "../../src/sources/sock-diag/address-bytes.js";
import { buildDestroyRequest, decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import { diagMessage, isLittleEndian } from "../fixtures/native/inet-diag-messages.js";

function socket(over: Partial<TcpSocket>): TcpSocket {
  return {
    family: 4,
    state: TcpState.CLOSE_WAIT,
    local: { address: "127.0.0.1", port: 8080 },
    remote: { address: "127.0.0.1", port: 40000 },
    recvQ: 0,
    sendQ: 0,
    timer: null,
    uid: 0,
    inode: 1,
    cookie: "4660",
    ifindex: 0,
    owners: null,
    ...over,
  };
}

/** Reads the fields back the way the kernel does (host order, network order for ports). */
function parse(req: Buffer) {
  const view = new DataView(req.buffer, req.byteOffset, req.length);
  const le = isLittleEndian();
  return {
    family: req[0],
    protocol: req[1],
    ext: req[2],
    states: view.getUint32(4, le),
    sport: view.getUint16(8, false),
    dport: view.getUint16(10, false),
    src: [...req.subarray(12, 28)],
    dst: [...req.subarray(28, 44)],
    ifindex: view.getUint32(44, le),
    cookie: (BigInt(view.getUint32(52, le)) << 32n) | BigInt(view.getUint32(48, le)),
  };
}

describe("buildDestroyRequest", () => {
  it("lays out an IPv4 socket's exact identity in a 56-byte inet_diag_req_v2", () => {
    const req = buildDestroyRequest(socket({ ifindex: 7, cookie: "18446744073709551614" }));
    assert.equal(req.length, 56);
    assert.deepEqual(parse(req), {
      family: 2,
      protocol: 6,
      ext: 0,
      states: 1 << TcpState.CLOSE_WAIT,
      sport: 8080,
      dport: 40000,
      src: [127, 0, 0, 1, ...new Array(12).fill(0)],
      dst: [127, 0, 0, 1, ...new Array(12).fill(0)],
      ifindex: 7,
      cookie: 18446744073709551614n,
    });
  });

  it("encodes IPv6 and IPv4-mapped addresses in network order", () => {
    const req = parse(
      buildDestroyRequest(
        socket({
          family: 6,
          state: TcpState.TIME_WAIT,
          local: { address: "::ffff:10.1.2.3", port: 1 },
          remote: { address: "fe80::1:2", port: 65535 },
        }),
      ),
    );
    assert.equal(req.family, 10);
    assert.equal(req.states, 1 << TcpState.TIME_WAIT);
    assert.deepEqual(req.src, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3]);
    assert.deepEqual(req.dst, [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]);
    assert.equal(req.dport, 65535);
  });

  it("asks the kernel not to check the cookie when it is unknown", () => {
    assert.equal(parse(buildDestroyRequest(socket({ cookie: null }))).cookie, (1n << 64n) - 1n);
  });

  it("covers both SYN_RECV bits for a request socket", () => {
    const states = parse(buildDestroyRequest(socket({ state: TcpState.SYN_RECV }))).states;
    assert.equal(states, (1 << TcpState.SYN_RECV) | (1 << TcpState.NEW_SYN_RECV));
  });

  it("round-trips with the decoder: the request names the decoded socket", () => {
    const src = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
    const dst = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const [decoded] = decodeInetDiagMessages(
      diagMessage({ family: 10, state: 8, sport: 22, dport: 5555, src, dst, ifindex: 4, cookie: 99n }),
    );
    const req = parse(buildDestroyRequest(decoded!));
    assert.deepEqual(
      [req.src, req.dst, req.sport, req.dport, req.ifindex, req.cookie],
      [src, dst, 22, 5555, 4, 99n],
    );
  });

  const bad: Array<[string, Partial<TcpSocket>]> = [
    ["a wildcard address from a capture", { local: { address: "*", port: 80 } }],
    ["an IPv6 address on an IPv4 socket", { remote: { address: "::1", port: 80 } }],
    ["a port out of range", { local: { address: "127.0.0.1", port: 70000 } }],
    ["a cookie that is not a number", { cookie: "0x10" }],
    ["a cookie beyond 64 bits", { cookie: "18446744073709551616" }],
  ];
  for (const [what, over] of bad) {
    it(`refuses ${what} with InputError`, () => {
      assert.throws(() => buildDestroyRequest(socket(over)), InputError);
    });
  }
});

describe("address-bytes", () => {
  it("parses IPv4 strictly", () => {
    assert.deepEqual(ipv4ToBytes("192.168.0.255"), new Uint8Array([192, 168, 0, 255]));
    for (const text of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "1..2.3"]) {
      assert.equal(ipv4ToBytes(text), null, text);
    }
  });

  it("parses IPv6 forms and refuses malformed ones", () => {
    assert.deepEqual([...ipv6ToBytes("::")!], new Array(16).fill(0));
    assert.deepEqual([...ipv6ToBytes("1::")!], [0, 1, ...new Array(14).fill(0)]);
    assert.deepEqual([...ipv6ToBytes("::ffff:1.2.3.4")!].slice(10), [0xff, 0xff, 1, 2, 3, 4]);
    for (const text of [
      "1:2:3:4:5:6:7",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "::1.2.3",
      ":::",
      "g::",
    ]) {
      assert.equal(ipv6ToBytes(text), null, text);
    }
  });

  it("inverts ipv6FromBytes for any 16 bytes", () => {
    // Zeros are over-represented so that "::" runs and mapped forms occur.
    const byte = fc.oneof(fc.constant(0), fc.constant(0xff), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { minLength: 16, maxLength: 16 }), (values) => {
        const bytes = new Uint8Array(values);
        assert.deepEqual(ipv6ToBytes(ipv6FromBytes(bytes)), bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
