/**
 * BTF member offsets on a blob built by hand (btf-blob.ts): through
 * anonymous unions and structs, typedefs, a kind_flag struct; missing
 * fields and bitfields refused with the field's name.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Btf } from "../../../src/sources/bpf/btf.js";
import { sockOffsets } from "../../../src/sources/bpf/sock-offsets.js";
import { BTF_PATH } from "../../../src/sources/bpf/kernel-btf.js";
import { tracerBtf } from "./btf-blob.js";

describe("Btf.memberPlace", () => {
  const btf = new Btf(tracerBtf());

  it("finds members inside anonymous unions and structs, in bytes", () => {
    assert.deepEqual(btf.memberPlace("sock_common", ["skc_rcv_saddr"]), {
      offset: 12,
      size: 4,
      bitfield: false,
    });
    assert.deepEqual(btf.memberPlace("sock_common", ["skc_num"]), { offset: 22, size: 2, bitfield: false });
  });

  it("follows a path through nested structs", () => {
    assert.deepEqual(btf.memberPlace("net", ["ns", "inum"]), { offset: 92, size: 4, bitfield: false });
  });

  it("reads bitfield sizes out of a kind_flag struct's offsets", () => {
    assert.deepEqual(btf.memberPlace("sock_common", ["skc_family"]), {
      offset: 24,
      size: 2,
      bitfield: false,
    });
    assert.equal(btf.memberPlace("sock_common", ["skc_reuse"])?.bitfield, true);
  });

  it("answers null for a missing struct or member", () => {
    assert.equal(btf.memberPlace("tcp_sock", ["x"]), null);
    assert.equal(btf.memberPlace("sock_common", ["skc_nope"]), null);
  });

  it("refuses bytes that are not BTF", () => {
    assert.throws(() => new Btf(Buffer.alloc(64)), /bad magic/);
  });
});

describe("sockOffsets", () => {
  it("gives every offset the program reads", () => {
    const found = sockOffsets(new Btf(tracerBtf()));
    assert.ok("offsets" in found);
    assert.deepEqual(found.offsets, {
      family: 24,
      dport: 20,
      rcvSaddr: 12,
      daddr: 8,
      net: 32,
      sport: 225,
      v6Daddr: 48,
      v6RcvSaddr: 64,
      netInum: 92,
      protocol: 130,
      protocolSize: 2,
    });
  });

  it("leaves the IPv6 addresses out (-1) on a kernel without them", () => {
    const found = sockOffsets(new Btf(tracerBtf({ withIpv6: false })));
    assert.ok("offsets" in found);
    assert.equal(found.offsets.v6Daddr, -1);
    assert.equal(found.offsets.v6RcvSaddr, -1);
  });

  it("names the field it cannot use: sk_protocol as a bitfield (before Linux 5.6)", () => {
    const found = sockOffsets(new Btf(tracerBtf({ protocolBitfield: true })));
    assert.deepEqual(found, {
      missing: "struct sock.sk_protocol as a whole field (a bitfield before Linux 5.6)",
    });
  });
});

describe("the running kernel's BTF", () => {
  const skip = existsSync(BTF_PATH) ? false : `no ${BTF_PATH} on this kernel`;
  it("has every field the tracer reads", { skip }, () => {
    const found = sockOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found, JSON.stringify(found));
    assert.equal(found.offsets.protocolSize, 2);
  });
});
