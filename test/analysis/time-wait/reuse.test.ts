import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLoopback, reuseFor } from "../../../src/analysis/time-wait/reuse.js";
import { settings } from "./make.js";

describe("isLoopback", () => {
  it("knows 127/8, ::1 and their IPv4-mapped form", () => {
    assert.deepEqual(
      ["127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1", "10.0.0.1", "::ffff:10.0.0.1", "fe80::1"].map(
        isLoopback,
      ),
      [true, true, true, true, false, false, false],
    );
  });
});

describe("reuseFor", () => {
  const cases: Array<[string, number | null, number | null, string, string, boolean, RegExp]> = [
    ["off", 0, 1, "10.0.0.1", "10.0.0.2", false, /tcp_tw_reuse is 0/],
    ["on everywhere", 1, 1, "10.0.0.1", "10.0.0.2", true, /tcp_tw_reuse is 1/],
    ["2 and a remote destination", 2, 1, "10.0.0.1", "10.0.0.2", false, /loopback destinations only/],
    ["2 and loopback", 2, 1, "127.0.0.1", "127.0.0.2", true, /2 \(loopback\)/],
    ["2 and a mapped loopback", 2, 1, "::ffff:127.0.0.1", "::ffff:127.0.0.1", true, /loopback/],
    ["2 and ::1", 2, 1, "::1", "::1", true, /loopback/],
    ["on but no timestamps", 1, 0, "10.0.0.1", "10.0.0.2", false, /tcp_timestamps is 0/],
    ["unknown", null, 1, "127.0.0.1", "127.0.0.1", false, /unknown/],
  ];
  for (const [name, twReuse, timestamps, local, remote, applies, why] of cases) {
    it(name, () => {
      const v = reuseFor(settings({ twReuse, timestamps }), local, remote);
      assert.equal(v.applies, applies);
      assert.match(v.why, why);
    });
  }
});
