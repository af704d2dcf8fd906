import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadNative } from "../../src/sources/native.js";
import { createNetns, isRoot, repoRoot } from "../support/run.js";

const PAIRS = 6000; // ESTABLISHED pairs held open: 12,000 sockets and fds
const TIME_WAIT = 15000;

interface Timing {
  syncMs: number;
  syncGapMs: number;
  asyncMs: number;
  asyncGapMs: number;
}
interface ProbeRun {
  sockets: number;
  ownedInodes: number;
  sameSockets: boolean;
  sameOwners: boolean;
  dump: Timing;
  owners: Timing;
}

const skip = !isRoot
  ? "needs root: the load is made in a network namespace of its own"
  : loadNative().addon
    ? false
    : `native addon not available: ${loadNative().error}`;

describe("the event loop keeps running during native work (live, test namespace)", { skip }, () => {
  it("a 5 ms timer keeps ticking through an async dump and an async fd scan; the sync calls stop it", (t) => {
    const ns = createNetns("evloop");
    try {
      const probe = join(repoRoot, "dist", "test", "fixtures", "native", "event-loop-probe.js");
      const child = spawnSync(
        "ip",
        ["netns", "exec", ns.name, process.execPath, probe, String(PAIRS), String(TIME_WAIT)],
        { encoding: "utf8", timeout: 100_000 },
      );
      assert.equal(child.status, 0, child.stderr);
      const { results } = JSON.parse(child.stdout) as { results: ProbeRun[] };
      t.diagnostic(JSON.stringify(results));
      for (const run of results) {
        assert.ok(run.sockets >= 2 * PAIRS, `only ${run.sockets} sockets dumped`);
        assert.ok(run.ownedInodes >= 2 * PAIRS, `only ${run.ownedInodes} owners found`);
        assert.ok(run.sameSockets, "the async dump returned other sockets than the sync one");
        assert.ok(run.sameOwners, "the async scan found other owners than the sync one");
      }
      // Best of three runs on each side: a busy machine adds noise to single gaps.
      const best = (pick: (r: ProbeRun) => number) => Math.min(...results.map(pick));
      for (const part of ["dump", "owners"] as const) {
        const syncGap = best((r) => r[part].syncGapMs);
        const asyncGap = best((r) => r[part].asyncGapMs);
        assert.ok(
          // Four calls back to back: ~60 ms even on an idle machine, enough to tell a 5 ms timer's gaps apart.
          syncGap >= 40,
          `${part}: the sync call blocked only ${syncGap} ms; the load is too small to tell`,
        );
        assert.ok(
          asyncGap < syncGap / 2,
          `${part}: the timer stopped for ${asyncGap.toFixed(1)} ms during the async call (sync: ${syncGap.toFixed(1)} ms)`,
        );
      }
    } finally {
      ns.remove();
    }
  });
});
