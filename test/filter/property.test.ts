import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileFilter } from "../../src/filter/compile.js";
import { UsageError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES, ALL_STATES_MASK, TcpState } from "../../src/model/tcp-state.js";

/** Words of the language, so random arrays often get deep into the parser. */
const VOCABULARY = [
  "state",
  "exclude",
  "excl",
  "src",
  "dst",
  "sport",
  "dport",
  "and",
  "or",
  "not",
  "&&",
  "||",
  "!",
  "&",
  "|",
  "(",
  ")",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "eq",
  "neq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "estab",
  "close-wait",
  "time-wait",
  "listen",
  "connected",
  "synchronized",
  "bucket",
  "big",
  "all",
  "syn-recv",
  ":22",
  "80",
  ":https",
  ":70000",
  "10.0.0.0/8",
  "[::1]",
  "::1",
  "::ffff:10.0.0.1",
  "*",
  "*:80",
  "127.0.0.1:8080",
  "[2001:db8::]/32:443",
  "localhost",
  "constructor",
  "__proto__",
  "dev",
  "sport>=:1024",
  "( dport = :ssh )",
];

const word = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom("(", ")", "!", "=", "<", ">", "&", "|", ":", " ", "[", "]", "/", "1", "a"),
    }),
  },
);
const words = fc.array(word, { maxLength: 14 });

const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((a) => `::ffff:${a}`),
  fc.constantFrom("*", "0.0.0.0", "::", "10.0.0.1", "::1"),
);
const socket: fc.Arbitrary<TcpSocket> = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  state: fc.constantFrom(...ALL_STATES, TcpState.NEW_SYN_RECV),
  local: fc.record({ address, port: fc.integer({ min: 0, max: 65535 }) }),
  remote: fc.record({ address, port: fc.integer({ min: 0, max: 65535 }) }),
  recvQ: fc.constant(0),
  sendQ: fc.constant(0),
  timer: fc.constant(null),
  uid: fc.constant(null),
  inode: fc.constant(null),
  cookie: fc.constant(null),
  owners: fc.constant(null),
});

/** Compiles, or returns the UsageError; anything else fails the property. */
function tryCompile(input: string[]) {
  try {
    return compileFilter(input);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    assert.doesNotMatch(err.message, /[\n\r]/, "one line");
    assert.match(err.message, / at word \d+/, "points at a word");
    return null;
  }
}

describe("filter properties", () => {
  it("never crashes with anything but UsageError, and masks stay inside ALL_STATES_MASK", () => {
    fc.assert(
      fc.property(words, fc.array(socket, { maxLength: 5 }), (input, sockets) => {
        const f = tryCompile(input);
        if (f === null) return;
        assert.equal(f.mask & ~ALL_STATES_MASK, 0);
        assert.ok(f.mask >= 0);
        for (const s of sockets) {
          const kept = f.matches(s);
          assert.equal(typeof kept, "boolean");
          if (kept) assert.ok((f.mask >> s.state) & 1, "a matching socket outside the kernel mask");
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("reads its own canonical text back to the same filter", () => {
    fc.assert(
      fc.property(words, fc.array(socket, { maxLength: 5 }), (input, sockets) => {
        const f = tryCompile(input);
        if (f === null || f.matchesAll) return;
        const again = compileFilter(f.text.split(" "));
        assert.equal(again.text, f.text);
        assert.equal(again.mask, f.mask);
        for (const s of sockets) assert.equal(again.matches(s), f.matches(s));
      }),
      { numRuns: 3000 },
    );
  });

  /** Random pure state expressions: the mask must then be exact, not just a superset. */
  const stateExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(
        "state estab",
        "state listen",
        "exclude listen",
        "state bucket",
        "state connected",
        "state all",
      ),
      fc.tuple(tie("e"), fc.constantFrom("and", "or"), tie("e")).map(([a, op, b]) => `( ${a} ${op} ${b} )`),
      tie("e").map((a) => `not ( ${a} )`),
    ),
  })).e;

  it("gives pure state filters an exact kernel mask", () => {
    fc.assert(
      fc.property(stateExpr, socket, (text, s) => {
        const f = compileFilter(text.split(" "));
        assert.equal(f.matches(s), ((f.mask >> s.state) & 1) === 1);
      }),
      { numRuns: 2000 },
    );
  });
});
