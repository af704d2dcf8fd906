/**
 * The read plan: LISTEN, TIME_WAIT and the rest apart in one namespace;
 * TIME_WAIT with the rest (one walk of the table) inside another namespace;
 * a kernel filter only for a pass without TIME_WAIT.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Analysis } from "../../src/inspect/analysis.js";
import type { Running } from "../../src/inspect/dispatch.js";
import { iteratorCannotRead, iteratorMayRead, planPasses } from "../../src/inspect/read-sockets.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { planDumps } from "../../src/sources/sock-diag.js";

const LISTEN = stateBit(TcpState.LISTEN);
const TW = stateBit(TcpState.TIME_WAIT);

function running(narrow: boolean): Running {
  const analysis: Analysis<number> = {
    name: "a",
    needs: { states: ALL_STATES_MASK },
    start: () => ({ add: () => {}, finish: () => 0 }),
  };
  const collector = {
    add: () => {},
    finish: () => 0,
    ...(narrow ? { narrowOthers: () => new Uint8Array(4) } : {}),
  };
  return { analysis, collector, error: null, ownMs: 0 };
}

describe("planPasses", () => {
  it("reads LISTEN, TIME_WAIT and the rest apart, and lets one collector narrow the rest", () => {
    const passes = planPasses([running(true)], ALL_STATES_MASK);
    assert.deepEqual(
      passes.map((p) => p.statesMask),
      [LISTEN, TW, ALL_STATES_MASK & ~LISTEN & ~TW],
    );
    assert.equal(typeof passes[2]!.bytecode, "function");
  });

  it("with oneWalk, puts TIME_WAIT with the rest in one dump and narrows nothing", () => {
    const passes = planPasses([running(true)], ALL_STATES_MASK, true);
    assert.deepEqual(
      passes.map((p) => p.statesMask),
      [LISTEN, ALL_STATES_MASK & ~LISTEN],
    );
    assert.equal(passes[1]!.bytecode, undefined);
    assert.equal(passes[1]!.oneWalk, true);
    assert.equal(planDumps(passes[1]!.statesMask, [4, 6], undefined, false).length, 1);
    assert.equal(planDumps(passes[1]!.statesMask, [4, 6]).length, 2, "split by default");
  });
});

describe("iteratorMayRead (which passes the BPF tcp iterator may read)", () => {
  const reader = (states: number, endpoints: boolean): Running => ({
    analysis: {
      name: "r",
      needs: { states, ...(endpoints ? { fields: "endpoints" as const } : {}) },
      start: () => ({ add: () => {}, finish: () => 0 }),
    },
    collector: { add: () => {}, finish: () => 0 },
    error: null,
    ownMs: 0,
  });
  const pass = (statesMask: number, bytecode?: Uint8Array) => ({
    statesMask,
    visit: () => {},
    ...(bytecode ? { bytecode } : {}),
  });
  const REST = ALL_STATES_MASK & ~LISTEN;

  it("takes a pass whose every collector reads only endpoints", () => {
    assert.equal(iteratorMayRead(pass(REST), [reader(ALL_STATES_MASK, true), reader(REST, true)]), true);
  });

  it("leaves a pass to netlink when one collector of its states reads more, and names it", () => {
    assert.equal(iteratorMayRead(pass(REST), [reader(ALL_STATES_MASK, true), reader(TW, false)]), false);
    assert.equal(
      iteratorCannotRead(pass(REST), [reader(ALL_STATES_MASK, true), reader(TW, false)]),
      "r read more than endpoints",
    );
    // A collector of other states only does not count.
    assert.equal(iteratorMayRead(pass(REST), [reader(REST, true), reader(LISTEN, false)]), true);
  });

  it("never takes LISTEN (listeners read their queues) or a filtered pass", () => {
    assert.equal(iteratorMayRead(pass(ALL_STATES_MASK), [reader(ALL_STATES_MASK, true)]), false);
    assert.equal(iteratorMayRead(pass(REST, new Uint8Array(4)), [reader(REST, true)]), false);
    assert.equal(iteratorCannotRead(pass(ALL_STATES_MASK), [reader(ALL_STATES_MASK, true)]), "LISTEN");
    assert.equal(iteratorCannotRead(pass(REST, new Uint8Array(4)), [reader(REST, true)]), "a kernel filter");
  });
});
