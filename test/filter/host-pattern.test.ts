import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseHostPattern, parsePortOperand } from "../../src/filter/host-pattern.js";

/** "family addr/bits port" or the problem text, for compact tables. */
function view(word: string): string {
  const r = parseHostPattern(word);
  if (!r.ok) return `error: ${r.problem}`;
  const { prefix, port, name } = r.value;
  const addr =
    name !== undefined
      ? `name ${name}`
      : prefix === null
        ? "*"
        : prefix.family === 4
          ? `4 ${prefix.addr.toString(16)}/${prefix.bits}`
          : `6 ${prefix.words.map((w) => w.toString(16)).join(".")}/${prefix.bits}`;
  return `${addr} port=${port ?? "any"}`;
}

describe("parseHostPattern", () => {
  const cases: Array<[string, string]> = [
    ["127.0.0.1", "4 7f000001/32 port=any"],
    ["10.0.0.0/8", "4 a000000/8 port=any"],
    ["10.1.2.3/8", "4 a000000/8 port=any"],
    ["127.0.0.1:8080", "4 7f000001/32 port=8080"],
    ["10.0.0.0/8:443", "4 a000000/8 port=443"],
    ["1.2.3.4:*", "4 1020304/32 port=any"],
    [":80", "* port=80"],
    [":https", "* port=443"],
    ["*", "* port=any"],
    ["*:22", "* port=22"],
    ["[::1]", "6 0.0.0.1/128 port=any"],
    ["[::1]:22", "6 0.0.0.1/128 port=22"],
    ["::1", "6 0.0.0.1/128 port=any"],
    ["2001:db8::/32", "6 20010db8.0.0.0/32 port=any"],
    ["[2001:db8::]/32:443", "6 20010db8.0.0.0/32 port=443"],
    ["[2001:db8::/32]:443", "6 20010db8.0.0.0/32 port=443"],
    ["::ffff:10.0.0.1", "6 0.0.ffff.a000001/128 port=any"],
    // Host names are matched against a capture's printed names, never resolved.
    ["localhost", "name localhost port=any"],
    ["DB.example.com:5432", "name db.example.com port=5432"],
    ["support:smtp", "name support port=25"],
    ["0a.example", "name 0a.example port=any"],
    ["10.0.0.256", 'error: bad address "10.0.0.256"'],
    ["10.0.0.0/33", 'error: bad prefix length "/33" for IPv4'],
    ["10.0.0.0/", 'error: bad prefix length "/" for IPv4'],
    ["[::1]/129", 'error: bad prefix length "/129" for IPv6'],
    ["[::1/64]/64", 'error: two prefix lengths in "[::1/64]/64"'],
    ["[::1", 'error: missing "]" in "[::1"'],
    ["[10.0.0.1]", 'error: bad address "[10.0.0.1]"'],
    ["[1::2::3]", 'error: bad IPv6 address "1::2::3"'],
    ["1.2.3.4:", 'error: missing port number after ":"'],
    ["1.2.3.4:65536", "error: port 65536 out of range 0-65535"],
    ["fe80::1%eth0", 'error: bad address "fe80::1%eth0"'],
    ["[::1]x", 'error: bad address "[::1]x"'],
  ];
  for (const [word, expected] of cases) {
    it(`${word} -> ${expected}`, () => assert.equal(view(word), expected));
  }
});

describe("parsePortOperand", () => {
  const cases: Array<[string, number | string]> = [
    ["80", 80],
    [":80", 80],
    [":0", 0],
    ["65535", 65535],
    [":ssh", 22],
    ["HTTP", 80],
    ["65536", "port 65536 out of range 0-65535"],
    ["-1", 'bad port "-1"'],
    ["8o", 'bad port "8o"'],
    [":", 'missing port number after ":"'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} -> ${expected}`, () => {
      const r = parsePortOperand(text);
      assert.equal(r.ok ? r.value : r.problem, expected);
    });
  }
});
