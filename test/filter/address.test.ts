import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ipv4Prefix,
  ipv6Prefix,
  mappedView,
  parseIpv4,
  parseIpv6,
  prefixMatcher,
  wordMask,
} from "../../src/filter/address.js";

function v6(text: string): number[] | null {
  const out = new Uint32Array(4);
  return parseIpv6(text, out, true) ? [...out] : null;
}

function v6Prefix(text: string, bits: number) {
  const out = new Uint32Array(4);
  assert.ok(parseIpv6(text, out), text);
  return ipv6Prefix(out, bits);
}

describe("parseIpv4", () => {
  const cases: Array<[string, number]> = [
    ["0.0.0.0", 0],
    ["127.0.0.1", 0x7f000001],
    ["255.255.255.255", 0xffffffff],
    ["10.1.2.3", 0x0a010203],
    ["256.0.0.1", -1],
    ["1.2.3", -1],
    ["1.2.3.4.5", -1],
    ["01.2.3.4", -1],
    ["1..2.3", -1],
    ["1.2.3.", -1],
    ["", -1],
    ["::1", -1],
    ["1.2.3.4 ", -1],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${expected}`, () => assert.equal(parseIpv4(text), expected));
  }
});

describe("parseIpv6", () => {
  const cases: Array<[string, number[] | null]> = [
    ["::", [0, 0, 0, 0]],
    ["::1", [0, 0, 0, 1]],
    ["1::", [0x00010000, 0, 0, 0]],
    ["2001:db8::5", [0x20010db8, 0, 0, 5]],
    ["2001:DB8:0:0:1:2:3:4", [0x20010db8, 0, 0x00010002, 0x00030004]],
    ["::ffff:10.1.2.3", [0, 0, 0xffff, 0x0a010203]],
    ["0:0:0:0:0:ffff:a01:203", [0, 0, 0xffff, 0x0a010203]],
    ["fe80::1%eth0", [0xfe800000, 0, 0, 1]],
    ["1:2:3:4:5:6:7:8", [0x00010002, 0x00030004, 0x00050006, 0x00070008]],
    ["1:2:3:4:5:6:7:8:9", null],
    ["1::2::3", null],
    [":1", null],
    ["1:", null],
    [":::", null],
    ["12345::", null],
    ["g::1", null],
    ["1:2:3:4:5:6:7::8", null],
    ["::1.2.3", null],
    ["1.2.3.4", null],
    ["", null],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)}`, () => assert.deepEqual(v6(text), expected));
  }
});

describe("prefixMatcher", () => {
  it("masks host bits away and builds word masks", () => {
    assert.equal(wordMask(0), 0);
    assert.equal(wordMask(8), 0xff000000);
    assert.equal(wordMask(40), 0xffffffff);
    assert.deepEqual(ipv4Prefix(0x0a010203, 8), { family: 4, addr: 0x0a000000, bits: 8 });
    assert.deepEqual(v6Prefix("2001:db8:ffff::1", 36).words, [0x20010db8, 0xf0000000, 0, 0]);
  });

  const ten = prefixMatcher(ipv4Prefix(0x0a000000, 8));
  const db8 = prefixMatcher(v6Prefix("2001:db8::", 32));
  const mapped = prefixMatcher(v6Prefix("::ffff:10.0.0.0", 104));
  const any4 = prefixMatcher(ipv4Prefix(0, 0));
  const cases: Array<[string, (a: string) => boolean, string, boolean]> = [
    ["10/8", ten, "10.255.0.1", true],
    ["10/8", ten, "11.0.0.1", false],
    ["10/8", ten, "::ffff:10.1.2.3", true],
    ["10/8", ten, "0:0:0:0:0:ffff:a01:203", true],
    ["10/8", ten, "::ffff:11.1.2.3", false],
    ["10/8", ten, "::a01:203", false],
    ["10/8", ten, "*", false],
    ["2001:db8::/32", db8, "2001:db8:1::9", true],
    ["2001:db8::/32", db8, "2001:db9::1", false],
    ["2001:db8::/32", db8, "10.0.0.1", false],
    ["::ffff:10.0.0.0/104", mapped, "::ffff:10.9.9.9", true],
    ["::ffff:10.0.0.0/104", mapped, "10.9.9.9", true],
    ["::ffff:10.0.0.0/104", mapped, "11.9.9.9", false],
    ["0.0.0.0/0", any4, "1.2.3.4", true],
    ["0.0.0.0/0", any4, "::ffff:1.2.3.4", true],
    ["0.0.0.0/0", any4, "::1", false],
  ];
  for (const [name, match, address, expected] of cases) {
    it(`${name} ${expected ? "contains" : "does not contain"} ${address}`, () => {
      assert.equal(match(address), expected);
    });
  }

  it("gives an IPv4 view only for prefixes inside ::ffff:0:0/96", () => {
    assert.deepEqual(mappedView(v6Prefix("::ffff:10.0.0.0", 104)), { family: 4, addr: 0x0a000000, bits: 8 });
    assert.equal(mappedView(v6Prefix("::ffff:0:0", 95)), null);
    assert.equal(mappedView(v6Prefix("2001:db8::", 32)), null);
  });
});
