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
    { filter: "exclude listen", refused: null },
    { filter: "state connected", refused: null },
    { filter: "sport = :80 exclude listen", refused: null },
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
