import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFilter } from "../../src/filter/compile.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";

const words = (text: string) => text.split(" ").filter((w) => w !== "");
const bit = stateBit;

describe("filter canonical text", () => {
  /** [input words, canonical text]; the text must also parse back to itself. */
  const cases: Array<[string[], string]> = [
    [words("state close-wait dport = :443"), "state close-wait and dport = :443"],
    [words("State ESTAB Exclude LISTEN"), "state estab exclude listen"],
    [words("excl time-wait"), "exclude time-wait"],
    [words("sport eq :80"), "sport = :80"],
    [words("dport 80"), "dport = :80"],
    [words("dport neq :https"), "dport != :443"],
    [
      words("sport lt 1 sport le 2 sport gt 3 sport ge 4"),
      "sport < :1 and sport <= :2 and sport > :3 and sport >= :4",
    ],
    [words("src :80"), "src :80"],
    [words("src *:80"), "src :80"],
    [words("src *"), "src *"],
    [words("dst 127.0.0.1:8080"), "dst 127.0.0.1:8080"],
    [words("src 10.1.2.3/8"), "src 10.0.0.0/8"],
    [words("dst [2001:DB8::1]/32:443"), "dst [2001:db8::/32]:443"],
    [words("src ::1"), "src [::1]"],
    [words("src ::ffff:10.0.0.1"), "src [::ffff:10.0.0.1]"],
    [words("src != 10.0.0.0/8"), "not src 10.0.0.0/8"],
    [["( dport = :ssh or sport = :22 )"], "dport = :22 or sport = :22"],
    [["!sport>=:1024"], "not sport >= :1024"],
    [words("sport = :1 or sport = :2 and sport = :3"), "sport = :1 or sport = :2 and sport = :3"],
    [words("sport = :1 or ( sport = :2 and sport = :3 )"), "sport = :1 or ( sport = :2 and sport = :3 )"],
    [words("( ( sport = :1 ) )"), "sport = :1"],
    [words("not ( sport = :1 or sport = :2 )"), "not ( sport = :1 or sport = :2 )"],
    [words("state listen sport = :22 or sport = :80"), "state listen and ( sport = :22 or sport = :80 )"],
    [words("state listen or state close-wait"), "state listen or state close-wait"],
    [words("sport = :22 state listen"), "sport = :22 and state listen"],
    [words("not state estab state listen"), "not state estab state listen"],
    [
      words("src 10.0.0.0/8 and ( sport >= :1024 or not dst [::1] )"),
      "src 10.0.0.0/8 and ( sport >= :1024 or not dst [::1] )",
    ],
  ];
  for (const [input, text] of cases) {
    it(`${JSON.stringify(input.join(" "))} reads as "${text}"`, () => {
      assert.equal(compileFilter(input).text, text);
      assert.equal(compileFilter(words(text)).text, text);
    });
  }
});

describe("filter kernel mask", () => {
  const ALL = ALL_STATES_MASK;
  const SYN_RECV = bit(TcpState.SYN_RECV) | bit(TcpState.NEW_SYN_RECV);
  /** [filter, mask, hasStateTerm]. */
  const cases: Array<[string, number, boolean]> = [
    ["", ALL, false],
    ["sport = :22", ALL, false],
    ["state close-wait", bit(TcpState.CLOSE_WAIT), true],
    ["state close-wait dport = :443", bit(TcpState.CLOSE_WAIT), true],
    ["state estab state listen", bit(TcpState.ESTABLISHED) | bit(TcpState.LISTEN), true],
    ["state estab or state listen", bit(TcpState.ESTABLISHED) | bit(TcpState.LISTEN), true],
    ["state estab and state listen", 0, true],
    ["state estab or sport = :22", ALL, true],
    ["state estab and sport = :22", bit(TcpState.ESTABLISHED), true],
    [
      "sport = :22 and ( state estab or state time-wait )",
      bit(TcpState.ESTABLISHED) | bit(TcpState.TIME_WAIT),
      true,
    ],
    ["exclude listen", ALL & ~bit(TcpState.LISTEN), true],
    ["not state listen", ALL & ~bit(TcpState.LISTEN), true],
    [
      "not ( state listen or state close-wait )",
      ALL & ~bit(TcpState.LISTEN) & ~bit(TcpState.CLOSE_WAIT),
      true,
    ],
    ["not ( state listen and sport = :22 )", ALL, true],
    ["not sport = :22", ALL, false],
    ["state syn-recv", SYN_RECV, true],
    ["state bucket", SYN_RECV | bit(TcpState.TIME_WAIT), true],
    ["state all", ALL, true],
    ["exclude all", 0, true],
  ];
  for (const [filter, mask, hasState] of cases) {
    it(`${JSON.stringify(filter)} -> mask 0x${mask.toString(16)}`, () => {
      const f = compileFilter(words(filter));
      assert.equal(f.mask, mask);
      assert.equal(f.hasStateTerm, hasState);
      assert.equal(f.matchesAll, filter === "");
    });
  }

  it("gives an empty filter its documented shape", () => {
    const f = compileFilter([]);
    assert.deepEqual(
      { ...f, matches: undefined },
      {
        mask: ALL_STATES_MASK,
        matches: undefined,
        hasStateTerm: false,
        text: "",
        matchesAll: true,
        statesOnly: true,
        tree: null,
      },
    );
  });

  const statesOnlyCases: Array<[string, boolean]> = [
    ["", true],
    ["state close-wait", true],
    ["exclude listen", true],
    ["state estab or state listen", true],
    ["not state listen", true],
    ["state close-wait dport = :443", false],
    ["src 10.0.0.0/8", false],
    ["state listen or sport = :22", false],
  ];
  for (const [filter, only] of statesOnlyCases) {
    it(`${JSON.stringify(filter)} is ${only ? "" : "not "}decided by the state mask alone`, () => {
      assert.equal(compileFilter(words(filter)).statesOnly, only);
    });
  }
});
