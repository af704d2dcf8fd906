/**
 * The pure row mapping: CLOSE_WAIT groups merged by identity (counts summed,
 * the oldest first sight kept), destinations capped but flagged ones kept,
 * minutes floored. Properties over random samples.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { groupKey, MAX_DESTINATIONS, minuteOf, sampleRows } from "../../src/store/rows.js";
import type { CloseWaitGroupSample, DestinationSample, NamespaceSample } from "../../src/store/sample.js";

const groupArb: fc.Arbitrary<CloseWaitGroupSample> = fc.record({
  pid: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  comm: fc.option(fc.constantFrom("java", "node"), { nil: null }),
  cmdline: fc.option(fc.constantFrom("a", "b"), { nil: null }),
  unit: fc.option(fc.constant("x.service"), { nil: null }),
  localPort: fc.option(fc.constantFrom(80, 8080), { nil: null }),
  peerPort: fc.option(fc.constant(5432), { nil: null }),
  cause: fc.constantFrom("eof-not-closed", "fin-unread"),
  count: fc.integer({ min: 1, max: 1000 }),
  firstSeen: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }),
});

const destArb: fc.Arbitrary<DestinationSample> = fc.record({
  local: fc.constantFrom("10.0.0.1:*", "[::1]:*"),
  remote: fc.integer({ min: 1, max: 65535 }).map((p) => `10.0.0.2:${p}`),
  count: fc.integer({ min: 1, max: 30000 }),
  portsLeft: fc.option(fc.integer({ min: 0, max: 28000 }), { nil: null }),
  ratePerSec: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: null }),
  exhaustedInSec: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
  severity: fc.constantFrom("none", "info", "warning", "critical"),
});

function sample(
  closeWait: CloseWaitGroupSample[],
  timeWait: DestinationSample[] = [],
  at = 1_700_000_123_456,
) {
  const s: NamespaceSample = {
    at,
    netns: "ns1",
    readMs: 3,
    states: { CLOSE_WAIT: 5, LISTEN: 0 },
    closeWait,
    timeWait,
    sysctls: null,
    findings: [],
  };
  return s;
}

describe("sampleRows", () => {
  it("one row per group identity: counts summed, the oldest first sight kept", () => {
    fc.assert(
      fc.property(fc.array(groupArb, { maxLength: 30 }), (groups) => {
        const rows = sampleRows(sample(groups));
        const keys = new Set(groups.map((g) => groupKey("ns1", g)));
        assert.equal(rows.closeWait.length, keys.size);
        for (const row of rows.closeWait) {
          const same = groups.filter((g) => groupKey("ns1", g) === row.groupKey);
          assert.equal(
            row.count,
            same.reduce((n, g) => n + g.count, 0),
          );
          const seen = same.map((g) => g.firstSeen).filter((t): t is number => t !== null);
          assert.equal(row.firstSeen, seen.length ? Math.min(...seen) : null);
        }
      }),
    );
  });

  it("NULL parts of the identity still tell groups apart and match each other", () => {
    const g = {
      pid: null,
      comm: null,
      cmdline: null,
      unit: null,
      localPort: 80,
      peerPort: null,
      cause: "not-accepted",
      count: 2,
      firstSeen: null,
    };
    const rows = sampleRows(sample([g, { ...g, count: 3 }, { ...g, localPort: 81 }]));
    assert.deepEqual(
      rows.closeWait.map((r) => [r.localPort, r.count]),
      [
        [80, 5],
        [81, 2],
      ],
    );
  });

  it("keeps the first MAX_DESTINATIONS destinations and every flagged one after them", () => {
    fc.assert(
      fc.property(fc.array(destArb, { maxLength: 120 }), (dests) => {
        const rows = sampleRows(sample([], dests));
        const expected = dests.filter(
          (d, i) => i < MAX_DESTINATIONS || d.severity === "warning" || d.severity === "critical",
        );
        assert.deepEqual(
          rows.timeWait.map((r) => [r.remote, r.count, r.severity]),
          expected.map((d) => [d.remote, d.count, d.severity]),
        );
      }),
    );
  });

  it("drops zero counts and floors the time to its minute", () => {
    const rows = sampleRows(sample([]));
    assert.deepEqual(rows.states, [{ state: "CLOSE_WAIT", count: 5 }]);
    assert.equal(rows.minute, 1_700_000_100_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), (t) => {
        const m = minuteOf(t);
        assert.ok(m <= t && t - m < 60_000 && m % 60_000 === 0);
      }),
    );
  });
});
