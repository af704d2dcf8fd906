import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFilter } from "../../src/filter/compile.js";
import { UsageError } from "../../src/model/errors.js";

const STATES =
  "expected one of: all, connected, synchronized, bucket, big, estab, syn-sent, syn-recv, fin-wait-1, " +
  "fin-wait-2, time-wait, unconn, close-wait, last-ack, listen, closing";
const CONDITION = 'expected a condition (state, exclude, src, dst, sport, dport, not or "(")';
const PORTS = "give a number 0-65535 or a service name from /etc/services (ssh, https)";

/** [words, the exact one-line message]. */
const CASES: Array<[string[], string]> = [
  [["state", "closewait"], `unknown state "closewait" at word 2 in filter: state closewait; ${STATES}`],
  [["state", "constructor"], `unknown state "constructor" at word 2 in filter: state constructor; ${STATES}`],
  [["exclude", "__proto__"], `unknown state "__proto__" at word 2 in filter: exclude __proto__; ${STATES}`],
  [["state"], `missing state name after "state" at word 1 in filter: state; ${STATES}`],
  [["state", "("], `expected state name after "state", got "(" at word 2 in filter: state (; ${STATES}`],
  [
    ["state", "close-wait", "foo"],
    `unexpected "foo" at word 3 in filter: state close-wait foo; ${CONDITION}`,
  ],
  [["sport", "=", ":70000"], "port 70000 out of range 0-65535 at word 3 in filter: sport = :70000"],
  [["dst", "1.2.3.4:65536"], "port 65536 out of range 0-65535 at word 2 in filter: dst 1.2.3.4:65536"],
  [["dport", "=", ":htp"], `bad port "htp" at word 3 in filter: dport = :htp; ${PORTS}`],
  [["sport", "="], 'missing port after "sport =" at word 2 in filter: sport ='],
  [["dport"], 'missing port after "dport" at word 1 in filter: dport'],
  [["sport", "=", ")"], 'expected port after "sport =", got ")" at word 3 in filter: sport = )'],
  [["src"], 'missing address after "src" at word 1 in filter: src'],
  [
    ["src", "10.0.0.0/33"],
    'bad prefix length "/33" for IPv4 at word 2 in filter: src 10.0.0.0/33; expected 0-32',
  ],
  [
    ["dst", "[::1]/129"],
    'bad prefix length "/129" for IPv6 at word 2 in filter: dst [::1]/129; expected 0-128',
  ],
  [
    ["src", "10.0.0.256"],
    'bad address "10.0.0.256" at word 2 in filter: src 10.0.0.256; expected IPv4 (10.0.0.0/8), IPv6 ([::1]) or *',
  ],
  [["src", "[1::2::3]"], 'bad IPv6 address "1::2::3" at word 2 in filter: src [1::2::3]'],
  [["src", "localhost:htp"], `bad port "htp" at word 2 in filter: src localhost:htp; ${PORTS}`],
  [
    ["src", "fe80::1%eth0"],
    'bad address "fe80::1%eth0" at word 2 in filter: src fe80::1%eth0; interface scopes (%eth0) are not supported',
  ],
  [["src", "<", "10.0.0.1"], '"src" compares with = or != only, not "<" at word 2 in filter: src < 10.0.0.1'],
  [["(", "sport", "=", ":1"], 'unclosed "(" at word 1 in filter: ( sport = :1'],
  [["(sport = :1 or (dport = :2)"], 'unclosed "(" at word 1, char 1 in filter: (sport = :1 or (dport = :2)'],
  [["sport = :1 )"], 'unmatched ")" at word 1, char 12 in filter: sport = :1 )'],
  [["state", "listen", ")"], 'unmatched ")" at word 3 in filter: state listen )'],
  [["(", ")"], 'empty "( )" at word 1 in filter: ( )'],
  [["sport", "=", ":1", "and"], 'missing condition after "and" at word 4 in filter: sport = :1 and'],
  [["sport", "=", ":1", "or", ")"], 'missing condition after "or" at word 4 in filter: sport = :1 or )'],
  [["not"], 'missing condition after "not" at word 1 in filter: not'],
  [["or", "sport", "=", ":1"], `unexpected "or" at word 1 in filter: or sport = :1; ${CONDITION}`],
  [["sport", "=", ":1", "=", ":2"], `unexpected "=" at word 4 in filter: sport = :1 = :2; ${CONDITION}`],
  [["dev", "eth0"], 'the ss filter "dev" is not supported by sockdoc at word 1 in filter: dev eth0'],
  [["\u0007bell", "x"], `unexpected "\\u{7}bell" at word 1 in filter: bell x; ${CONDITION}`],
  [["\u202e"], `unexpected "\\u{202e}" at word 1; ${CONDITION}`],
  [["state", "estab", 'x"y'], `unexpected "x\\"y" at word 3 in filter: state estab x"y; ${CONDITION}`],
];

describe("filter errors", () => {
  for (const [words, message] of CASES) {
    it(`${JSON.stringify(words)} is refused with a pointing message`, () => {
      assert.throws(
        () => compileFilter(words),
        (err: unknown) => {
          assert.ok(err instanceof UsageError);
          assert.equal(err.message, message);
          assert.equal(err.exitCode, 2);
          return true;
        },
      );
    });
  }

  it("refuses nesting that could exhaust the stack", () => {
    assert.throws(() => compileFilter([`${"(".repeat(200)}sport = :1${")".repeat(200)}`]), {
      name: "UsageError",
      message: /^nested deeper than 100 levels at word 1, char 101 /,
    });
    assert.throws(() => compileFilter(Array(500).fill("not").concat(["sport", ":1"])), {
      name: "UsageError",
      message: /^nested deeper than 100 levels at word 101 /,
    });
  });

  it("refuses overly long filters", () => {
    const words = Array.from({ length: 600 }, () => "sport :1").flatMap((w) => w.split(" "));
    assert.throws(() => compileFilter(words), {
      name: "UsageError",
      message: /^filter too long \(more than 1000 tokens\) at word 1001 in filter: sport :1 sport .*…$/,
    });
  });
});
