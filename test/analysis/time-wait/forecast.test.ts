import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  closeRate,
  type ForecastInput,
  secondsUntilExhausted,
  sustainableRate,
} from "../../../src/analysis/time-wait/forecast.js";

const fill = (n: number, ms: number): number[] => Array.from({ length: n }, () => ms);

describe("closeRate", () => {
  it("counts the sockets younger than the window (time left >= 60 s - window)", () => {
    const remaining = [60_000, 55_000, 50_000, 49_999, 10_000, 0];
    assert.equal(closeRate(remaining, 10_000), 0.3);
    assert.equal(closeRate(remaining, 60_000), 0.1);
    assert.equal(closeRate(remaining, 1_000), 1);
    assert.equal(closeRate([], 10_000), 0);
  });

  it("a stream that started inside the window: its rate over its own span, and the forecast from it", () => {
    // 200 closes a second for the last 3 s (ages 0..2.995 s), nothing before: 200/s, not 600 / 10 s.
    const remaining = Array.from({ length: 600 }, (_, i) => 60_000 - i * 5);
    const rate = closeRate(remaining, 10_000);
    assert.ok(Math.abs(rate - 200) < 2, `rate ${rate}`);
    // 2,000 ports: 1,400 left at 200/s run out in 7 s (the lab measured 7.0 s from there).
    const eta = secondsUntilExhausted({
      budget: 2000,
      otherInUse: 0,
      remainingMs: remaining,
      ratePerSec: rate,
      holdMs: 60_000,
    });
    assert.ok(eta !== null && Math.abs(eta - 7) < 0.1, `eta ${eta}`);
    // A burst (every socket of one age) and a stream older than the window keep the window.
    assert.equal(closeRate(fill(100, 55_000), 10_000), 10);
    const older = [...Array.from({ length: 600 }, (_, i) => 60_000 - i * 5), 45_000];
    assert.equal(closeRate(older, 10_000), 60);
  });
});

describe("secondsUntilExhausted", () => {
  const base: ForecastInput = { budget: 100, otherInUse: 0, remainingMs: [], ratePerSec: 0, holdMs: 60_000 };
  const cases: Array<[string, Partial<ForecastInput>, number | null]> = [
    ["no sockets yet, 2/s: 100 ports last 50 s", { ratePerSec: 2 }, 50],
    ["1/s settles at 60 in use: never", { ratePerSec: 1 }, null],
    ["exactly budget/60 fills the last port at 60 s", { ratePerSec: 100 / 60 }, 60],
    ["no rate, ports free: never", { remainingMs: fill(50, 30_000) }, null],
    ["already full", { otherInUse: 50, remainingMs: fill(50, 30_000), ratePerSec: 0 }, 0],
    [
      "80 fresh + 10 open, 10/s: the last 10 ports last 1 s",
      { otherInUse: 10, remainingMs: fill(80, 60_000), ratePerSec: 10 },
      1,
    ],
    [
      // 95 expire at 1 s, too early to matter: afterwards 2/s needs 50 s for 100 ports.
      "soon-expiring sockets give their ports back",
      { remainingMs: fill(95, 1_000), ratePerSec: 2 },
      50,
    ],
    [
      // 50 expire at 20 s, 40 at 50 s; 3/s: 10 free ports last 3.33 s.
      "crossing before the first expiry",
      { remainingMs: [...fill(50, 20_000), ...fill(40, 50_000)], ratePerSec: 3 },
      10 / 3,
    ],
    [
      // 1/s with 90 held: 10 s would fill it, but 50 expire at 5 s; then 40 + t, 60 s is not enough.
      "expiries outrun a slow rate",
      { remainingMs: [...fill(50, 5_000), ...fill(40, 58_000)], ratePerSec: 1 },
      null,
    ],
    [
      // Crossing right when a batch expires: 50 expire at 20 s, 45 at 40 s; 0.25/s needs 20 s for 5 ports.
      "a tie with an expiry counts the ports still held",
      { remainingMs: [...fill(50, 20_000), ...fill(45, 40_000)], ratePerSec: 0.25 },
      20,
    ],
    [
      // With reuse (hold 1 s) only sockets younger than 1 s block: 50 of them, for 0.5 s more.
      "reuse: old TIME_WAIT do not block",
      { remainingMs: [...fill(50, 59_500), ...fill(50, 30_000)], ratePerSec: 100, holdMs: 1_000 },
      0.5,
    ],
    ["reuse: 50/s with a 1 s hold never fills 100", { ratePerSec: 50, holdMs: 1_000 }, null],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => {
      const got = secondsUntilExhausted({ ...base, ...over });
      if (want === null) assert.equal(got, null);
      else {
        assert.notEqual(got, null);
        assert.ok(Math.abs((got as number) - want) < 1e-9, `got ${got}, want ${want}`);
      }
    });
  }
});

describe("sustainableRate", () => {
  it("is free ports over the hold time", () => {
    assert.equal(Math.floor(sustainableRate(28232, 0, 60_000)), 470);
    assert.equal(sustainableRate(28232, 0, 1_000), 28232);
    assert.equal(sustainableRate(100, 40, 60_000), 1);
    assert.equal(sustainableRate(100, 140, 60_000), 0);
  });
});
