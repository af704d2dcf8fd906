/**
 * The kernel's HZ from /proc/timer_list: the jiffies counter starts at
 * 2^32 - 300 × HZ, so one reading tells HZ once the host has been up past
 * the wrap point; soon after boot, two readings a tenth of a second apart do.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import {
  hzFromOneReading,
  hzFromTwoReadings,
  hzOfThisKernel,
  parseTimerList,
} from "../../../src/sources/bpf/kernel-hz.js";

/** A reading of a kernel built with hz, up for seconds (its jiffies as the kernel counts them). */
const reading = (hz: number, seconds: number, driftJiffies = 0) => ({
  jiffies: 2 ** 32 - 300 * hz + Math.floor(hz * seconds) + driftJiffies,
  nowNs: seconds * 1e9,
});

describe("kernel HZ", () => {
  it("parses the clock and the jiffies of /proc/timer_list", () => {
    const text = [
      "Timer List Version: v0.10",
      "HRTIMER_MAX_CLOCK_BASES: 8",
      "now at 29226625701772 nsecs",
      "",
      "cpu: 0",
      "  .expires_next   : 29226628000000 nsecs",
      "jiffies: 4302198887",
    ].join("\n");
    assert.deepEqual(parseTimerList(text), { jiffies: 4302198887, nowNs: 29226625701772 });
    assert.equal(parseTimerList("Timer List Version: v0.10\n"), null);
  });

  it("tells HZ from one reading once the host is up past the wrap", () => {
    // Taken on this project's machine: HZ=250, eight hours up, 65 jiffies off.
    assert.equal(hzFromOneReading({ jiffies: 4302198887, nowNs: 29226625701772 }), 250);
    for (const hz of [100, 250, 300, 1000, 24, 128, 1024]) {
      assert.equal(hzFromOneReading(reading(hz, 3600, 200)), hz, `HZ=${hz}`);
      assert.equal(hzFromOneReading(reading(hz, 30 * 86400, -500)), hz, `HZ=${hz}, a month up`);
    }
  });

  it("does not guess from one reading soon after boot", () => {
    assert.equal(hzFromOneReading(reading(250, 60)), null);
    assert.equal(hzFromOneReading(reading(250, 310)), null);
  });

  it("does not take a count that matches no known HZ", () => {
    assert.equal(hzFromOneReading({ jiffies: 2 ** 32 + 170 * 3600, nowNs: 3900e9 }), null);
  });

  it("tells a common HZ from two readings 100 ms apart, a tick either way", () => {
    for (const hz of [100, 250, 300, 1000]) {
      const a = reading(hz, 20);
      for (const tick of [-1, 0, 1]) {
        const b = { jiffies: a.jiffies + hz / 10 + tick, nowNs: a.nowNs + 100e6 };
        assert.equal(hzFromTwoReadings(a, b), hz, `HZ=${hz}, ${tick} tick`);
      }
    }
    // Too close together to tell.
    assert.equal(hzFromTwoReadings(reading(250, 20), reading(250, 20.01)), null);
  });

  it(
    "knows this kernel's HZ (root: /proc/timer_list)",
    {
      skip:
        process.getuid?.() === 0 && existsSync("/proc/timer_list")
          ? false
          : "needs root and /proc/timer_list",
    },
    () => {
      const found = hzOfThisKernel();
      assert.ok("hz" in found, JSON.stringify(found));
      assert.ok([100, 250, 300, 1000].includes(found.hz), String(found.hz));
    },
  );
});
