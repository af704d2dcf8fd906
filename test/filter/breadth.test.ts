import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { FilterNode, HostNode, PortNode } from "../../src/filter/ast.js";
import { broadStates, isNarrowingTerm } from "../../src/filter/breadth.js";
import { compileFilter } from "../../src/filter/compile.js";
import { compileNode } from "../../src/filter/evaluate.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES, ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";

const bit = (s: TcpState) => stateBit(s);
const ESTAB = bit(TcpState.ESTABLISHED);
const broad = (text: string) => broadStates(compileFilter(text === "" ? [] : [text]).tree);

describe("broadStates", () => {
  const cases: Array<[string, number]> = [
    ["", ALL_STATES_MASK],
    ["exclude listen", ALL_STATES_MASK & ~bit(TcpState.LISTEN)],
    ["not state listen", ALL_STATES_MASK & ~bit(TcpState.LISTEN)],
    ["state established", ESTAB],
    ["state established sport = :22", 0],
    ["state established and not sport = :22", ESTAB],
    ["state established dport != :22", ESTAB],
    ["state established src 10.0.0.0/8", 0],
    ["state established src 0.0.0.0/0", ESTAB],
    ["state established dst *:443", 0],
    ["( state close-wait ) or ( state established sport = :22 )", bit(TcpState.CLOSE_WAIT)],
    ["state close-wait or state established sport = :22", 0],
    ["state established or sport = :22", ESTAB],
    ["not ( state close-wait or sport = :22 )", ALL_STATES_MASK & ~bit(TcpState.CLOSE_WAIT)],
    ["not not sport = :22", 0],
  ];
  for (const [text, want] of cases) {
    it(`"${text}"`, () => assert.equal(broad(text), want));
  }

  it("treats =, host:port and a prefix as narrowing; !=, ranges, * and /0 not", () => {
    const term = (text: string) => compileFilter([text]).tree as HostNode | PortNode;
    for (const t of ["sport = :22", "dst 10.0.0.9", "src [::1]", "dst *:443", "src 10.0.0.0/8"]) {
      assert.equal(isNarrowingTerm(term(t)), true, t);
    }
    for (const t of ["sport != :22", "dport < :1024", "sport >= :1", "src *", "dst 0.0.0.0/0"]) {
      assert.equal(isNarrowingTerm(term(t)), false, t);
    }
  });
});

/** Random filters built from terms, so that most parse and every construct is reached. */
const term = fc.oneof(
  fc
    .constantFrom("estab", "listen", "close-wait", "time-wait", "connected", "synchronized", "bucket", "all")
    .chain((s) => fc.constantFrom(`state ${s}`, `exclude ${s}`)),
  fc
    .tuple(
      fc.constantFrom("sport", "dport"),
      fc.constantFrom("=", "!=", "<", ">=", ">"),
      fc.constantFrom(22, 80, 443, 1024, 8080),
    )
    .map(([side, op, port]) => `${side} ${op} :${port}`),
  fc
    .tuple(
      fc.constantFrom("src", "dst"),
      fc.constantFrom("10.0.0.0/8", "127.0.0.1", "*:80", "*", "0.0.0.0/0", "[::1]", "192.168.1.0/24:22"),
    )
    .map(([side, host]) => `${side} ${host}`),
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    term,
    fc.tuple(tie("e"), fc.constantFrom("and", "or"), tie("e")).map(([a, op, b]) => `( ${a} ${op} ${b} )`),
    tie("e").map((a) => `not ( ${a} )`),
  ),
})).e;

const address = fc.oneof(
  fc.ipV4(),
  fc.constantFrom("10.1.2.3", "127.0.0.1", "192.168.1.5", "::1", "2001:db8::1"),
);
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(22, 80, 443, 1024, 8080));
const socket: fc.Arbitrary<TcpSocket> = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  state: fc.constantFrom(...ALL_STATES),
  local: fc.record({ address, port }),
  remote: fc.record({ address, port }),
  recvQ: fc.constant(0),
  sendQ: fc.constant(0),
  timer: fc.constant(null),
  uid: fc.constant(null),
  inode: fc.constant(null),
  cookie: fc.constant(null),
  owners: fc.constant(null),
});

function narrowingTerms(n: FilterNode): Array<HostNode | PortNode> {
  switch (n.kind) {
    case "state":
      return [];
    case "host":
    case "port":
      return isNarrowingTerm(n) ? [n] : [];
    case "not":
      return narrowingTerms(n.operand);
    case "and":
    case "or":
      return [...narrowingTerms(n.left), ...narrowingTerms(n.right)];
  }
}

describe("broadStates properties", () => {
  it("is sound: a filter that matches a socket no narrowing term matches has that state broad", () => {
    let generic = 0;
    fc.assert(
      fc.property(expr, socket, (text, s) => {
        const f = compileFilter(text.split(" "));
        assert.ok(f.tree);
        // Only sockets the filter's narrowing terms all leave out: nothing pins them down.
        if (narrowingTerms(f.tree).some((t) => compileNode(t)(s))) return;
        generic++;
        if (f.matches(s)) assert.ok((broadStates(f.tree) >> s.state) & 1, `state ${s.state} not broad`);
      }),
      { numRuns: 3000 },
    );
    assert.ok(generic > 1000, `only ${generic} generic sockets: the property barely ran`);
  });

  it("never names a state the filter cannot match at all", () => {
    fc.assert(
      fc.property(expr, (text) => {
        const f = compileFilter(text.split(" "));
        assert.equal(broadStates(f.tree) & ~f.mask, 0);
      }),
      { numRuns: 2000 },
    );
  });

  it("adding an exact port with and narrows every state", () => {
    fc.assert(
      fc.property(expr, (text) => {
        const f = compileFilter(`( ${text} ) and sport = :8080`.split(" "));
        assert.equal(broadStates(f.tree), 0);
      }),
      { numRuns: 500 },
    );
  });
});
