/** The tracer's 72-byte events decoded: byte orders, IPv4 and IPv6, the 64-bit time and address. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeStateChanges, EVENT_BYTES } from "../../../src/sources/bpf/state-event.js";

function event(o: {
  timeNs: bigint;
  skaddr: bigint;
  netns: number;
  oldState: number;
  newState: number;
  family: number;
  sport: number;
  dport: number;
  saddr: number[];
  daddr: number[];
}): Buffer {
  const b = Buffer.alloc(EVENT_BYTES);
  b.writeBigUInt64LE(o.timeNs, 0);
  b.writeBigUInt64LE(o.skaddr, 8);
  b.writeUInt32LE(o.netns, 16);
  b.writeUInt32LE(o.oldState, 20);
  b.writeUInt32LE(o.newState, 24);
  b.writeUInt16LE(o.family, 28);
  b.writeUInt16BE(o.sport, 30);
  b.writeUInt16BE(o.dport, 32);
  Buffer.from(o.saddr).copy(b, 40);
  Buffer.from(o.daddr).copy(b, 56);
  return b;
}

describe("decodeStateChanges", () => {
  it("decodes an IPv4 change: ports in network order, time past 2^32 ns, a kernel address", () => {
    const bytes = event({
      timeNs: 10_292_081_110_511n,
      skaddr: 0xffff88822c288940n,
      netns: 4026531833,
      oldState: 1,
      newState: 8,
      family: 2,
      sport: 8080,
      dport: 51234,
      saddr: [127, 0, 0, 1],
      daddr: [10, 1, 2, 3],
    });
    const [c] = decodeStateChanges(bytes);
    assert.ok(c);
    assert.ok(Math.abs(c.monotonicMs - 10_292_081.110511) < 1e-6);
    assert.equal(c.skaddr, "ffff88822c288940");
    assert.equal(c.netns, 4026531833);
    assert.deepEqual(
      [c.family, c.localAddress, c.localPort, c.remoteAddress, c.remotePort, c.oldState, c.newState],
      [4, "127.0.0.1", 8080, "10.1.2.3", 51234, 1, 8],
    );
  });

  it("decodes IPv6 addresses, several events, and ignores a partial tail", () => {
    const v6 = (last: number) => [...Array(15).fill(0), last];
    const one = event({
      timeNs: 1n,
      skaddr: 1n,
      netns: 1,
      oldState: 8,
      newState: 9,
      family: 10,
      sport: 443,
      dport: 40000,
      saddr: v6(1),
      daddr: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1],
    });
    const changes = decodeStateChanges(Buffer.concat([one, one, Buffer.alloc(10)]));
    assert.equal(changes.length, 2);
    assert.equal(changes[0]!.family, 6);
    assert.equal(changes[0]!.localAddress, "::1");
    assert.equal(changes[0]!.remoteAddress, "::ffff:192.0.2.1");
  });
});
