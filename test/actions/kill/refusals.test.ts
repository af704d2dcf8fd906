import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBatch, checkFilter, DEFAULT_MAX, parseMax } from "../../../src/actions/kill/refusals.js";
import { compileFilter } from "../../../src/filter/compile.js";
import { UsageError } from "../../../src/model/errors.js";

describe("checkFilter", () => {
  const cases: Array<{ filter: string; refused: RegExp | null }> = [
    { filter: "", refused: /without a filter/ },
    { filter: "state all", refused: /can match LISTEN/ },
    { filter: "sport = :8080", refused: /can match LISTEN/ },
    { filter: "state listen", refused: /can match LISTEN/ },
    { filter: "state close-wait or sport = :80", refused: /can match LISTEN/ },
    { filter: "not state close-wait", refused: /can match LISTEN/ },
    { filter: "state close-wait", refused: null },
    { filter: "state close-wait sport = :8080 dst 10.0.0.9", refused: null },
    { filter: "state time-wait dport = :443", refused: null },
    { filter: "sport = :80 exclude listen", refused: null },
    { filter: "state established dport = :5432", refused: null },
    { filter: "state established dst 10.0.0.9", refused: null },
    { filter: "state estab ( dport = :443 or dst 10.0.0.0/8 )", refused: null },
    { filter: "state time-wait or state close-wait", refused: null },
    { filter: "exclude listen exclude established", refused: null },
    // As broad as no filter: only listeners left out.
    { filter: "exclude listen", refused: /leaves out only listeners: it is as broad as no filter/ },
    { filter: "not state listen", refused: /leaves out only listeners: it is as broad as no filter/ },
    { filter: "state all exclude listen", refused: /leaves out only listeners/ },
    { filter: "exclude listen exclude close", refused: /leaves out only listeners/ },
    // Live connections with no address or port term.
    { filter: "state connected", refused: /can match ESTABLISHED sockets with no address or port/ },
    { filter: "state synchronized", refused: /can match ESTABLISHED sockets/ },
    { filter: "state established", refused: /can match ESTABLISHED sockets/ },
    { filter: "state established dport != :22", refused: /can match ESTABLISHED sockets/ },
    { filter: "state established sport > :1024", refused: /can match ESTABLISHED sockets/ },
    { filter: "state established dst 0.0.0.0/0", refused: /can match ESTABLISHED sockets/ },
    { filter: "state established and not dport = :22", refused: /can match ESTABLISHED sockets/ },
    { filter: "state close-wait or state established", refused: /can match ESTABLISHED sockets/ },
    { filter: "( state close-wait sport = :80 ) or state estab", refused: /can match ESTABLISHED sockets/ },
    { filter: "state close-wait sport = :80 or state estab", refused: null },
  ];
  for (const { filter, refused } of cases) {
    it(`${refused ? "refuses" : "accepts"} "${filter}"`, () => {
      const compiled = compileFilter(filter === "" ? [] : [filter]);
      if (refused) {
        assert.throws(
          () => checkFilter(compiled, false),
          (e: unknown) => e instanceof UsageError && refused.test(e.message),
        );
        assert.doesNotThrow(() => checkFilter(compiled, true), "--force lets it through");
      } else {
        assert.doesNotThrow(() => checkFilter(compiled, false));
      }
    });
  }

  it("says how to proceed in one line", () => {
    try {
      checkFilter(compileFilter(["dport = :443"]), false);
      assert.fail("not refused");
    } catch (e) {
      assert.ok(e instanceof UsageError);
      assert.equal(e.exitCode, 2);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /"dport = :443"/);
      assert.match(e.message, /--force/);
    }
  });

  it("suggests a narrow filter, never a broad one, in every refusal", () => {
    for (const filter of ["", "sport = :8080", "exclude listen", "state connected"]) {
      try {
        checkFilter(compileFilter(filter === "" ? [] : [filter]), false);
        assert.fail(`"${filter}" not refused`);
      } catch (e) {
        assert.ok(e instanceof UsageError);
        assert.doesNotMatch(e.message, /"?exclude listen"?\)|e\.g\. "?exclude/);
        assert.match(e.message, /e\.g\. state close-wait sport = :8080/);
        assert.equal(e.exitCode, 2);
      }
    }
  });
});

describe("checkBatch", () => {
  const cases: Array<[matched: number, max: number, force: boolean, refused: boolean]> = [
    [0, 1, false, false],
    [1000, 1000, false, false],
    [1001, 1000, false, true],
    [1001, 1000, true, false],
    [5, 2, false, true],
  ];
  for (const [matched, max, force, refused] of cases) {
    it(`${matched} sockets, --max ${max}${force ? ", --force" : ""}: ${refused ? "refused" : "allowed"}`, () => {
      if (refused) {
        assert.throws(
          () => checkBatch(matched, max, force),
          (e: unknown) =>
            e instanceof UsageError && e.message.includes(`${matched} sockets match, more than --max ${max}`),
        );
      } else assert.doesNotThrow(() => checkBatch(matched, max, force));
    });
  }
});

describe("parseMax", () => {
  it("defaults to 1000", () => assert.equal(parseMax(undefined), DEFAULT_MAX));
  for (const [text, want] of [
    ["1", 1],
    ["50000", 50000],
  ] as const) {
    it(`reads "${text}"`, () => assert.equal(parseMax(text), want));
  }
  for (const bad of ["0", "-3", "1.5", "", " ", "ten", "1e400"]) {
    it(`rejects "${bad}"`, () => assert.throws(() => parseMax(bad), UsageError));
  }
});
