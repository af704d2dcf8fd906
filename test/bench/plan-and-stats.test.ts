/** The bench's pure parts: how the load is spread, the statistics it prints, its checks. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSummary } from "../../bench/checks.js";
import { planLoad, scaleMix, socketTotal, split } from "../../bench/load/plan.js";
import { parseOptions } from "../../bench/options.js";
import { linearity, median } from "../../bench/stats.js";

describe("bench load plan", () => {
  it("splits a total into near-equal parts that add up", () => {
    assert.deepEqual(split(10, 3), [4, 3, 3]);
    assert.equal(
      split(50_000, 7).reduce((a, b) => a + b, 0),
      50_000,
    );
  });

  it("keeps every worker under the fd limit and covers the whole mix", () => {
    const mix = { tw: 100_000, cw: 50_000, estab: 20_000 };
    const plan = planLoad(mix, 20_000, 2);
    for (const w of plan.closeWait) assert.ok(w.count + w.concurrency < 20_000, `${w.count}`);
    for (const w of plan.established) assert.ok(2 * w.count + w.concurrency < 20_000, `${w.count}`);
    assert.equal(
      plan.closeWait.reduce((a, w) => a + w.count, 0),
      50_000,
    );
    assert.equal(
      plan.established.reduce((a, w) => a + w.count, 0),
      20_000,
    );
    assert.equal(
      plan.timeWait.reduce((a, w) => a + w.count, 0),
      100_000,
    );
    assert.ok(plan.closeWait.length >= 3, "50k CLOSE_WAIT need several holders");
  });

  it("scales the mix to a socket total", () => {
    const scaled = scaleMix({ tw: 100_000, cw: 50_000, estab: 20_000 }, 50_000);
    assert.ok(Math.abs(socketTotal(scaled, 0) - 50_000) < 10);
  });
});

describe("bench statistics", () => {
  it("takes the median of odd and even runs", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it("calls a fixed start-up cost plus a per-socket cost linear, and a quadratic one not", () => {
    const sizes = [50_000, 100_000, 200_000];
    assert.equal(linearity(sizes, [150 + 50, 150 + 100, 150 + 200]).linear, true);
    assert.equal(linearity(sizes, [25, 100, 400]).linear, false);
    // Start-up and kernel work dominating: each added socket costs less. That is linear or better.
    assert.equal(linearity(sizes, [327, 443, 463]).linear, true);
    assert.equal(linearity(sizes, [100, 200, 800]).linear, false);
  });
});

describe("bench checks and options", () => {
  it("accepts summary JSON within 2% of the counted load and names what is wrong", () => {
    const counts = { TIME_WAIT: 100_000, CLOSE_WAIT: 50_000 };
    assert.equal(
      checkSummary(JSON.stringify({ states: { TIME_WAIT: 99_000, CLOSE_WAIT: 50_000 } }), counts),
      null,
    );
    assert.match(
      checkSummary(JSON.stringify({ states: { TIME_WAIT: 50_000 } }), counts) ?? "",
      /TIME_WAIT 50000/,
    );
    assert.equal(checkSummary("not json", counts), "output is not JSON");
  });

  it("parses the documented flags and rejects bad numbers", () => {
    const o = parseOptions(["--runs", "3", "--tw", "1000", "--quick"]);
    assert.equal(o.runs, 3);
    assert.throws(() => parseOptions(["--runs", "zero"]), /--runs wants a whole number/);
  });
});
