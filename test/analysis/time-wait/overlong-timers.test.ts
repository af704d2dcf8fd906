import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { overlongTimerWarning } from "../../../src/analysis/time-wait/note.js";
import { buildTimeWaitReport } from "../../../src/analysis/time-wait/report.js";
import { sockdoc } from "../../support/run.js";
import { settings, tws } from "./make.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-tw-timers-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("TIME_WAIT timers over 60 s", () => {
  it("are flagged and not counted as new connections", () => {
    // 20 sockets 30 s old (none new in the window) and 30 with a 2-minute timer.
    const sockets = [
      ...tws("10.0.0.1", 40000, 20, "10.0.0.2:80", 30_000),
      ...tws("10.0.0.1", 41000, 30, "10.0.0.2:80", 120_000),
    ];
    const r = buildTimeWaitReport({ sockets, settings: settings(), windowSec: 10 });
    const d = r.destinations[0]!;
    assert.equal(d.count, 50, "still counted as TIME_WAIT sockets holding ports");
    assert.equal(d.ratePerSec, 0, "a 120 s timer is no sign of a close in the last 10 s");
    assert.equal(d.remainingMs.max, 30_000);
    assert.deepEqual(r.overlongTimers, { count: 30, longestMs: 120_000 });
    assert.equal(
      overlongTimerWarning(r.overlongTimers!),
      "30 TIME_WAIT timers are over 60 s (up to 120 s), which Linux never sets (TIME_WAIT lasts exactly " +
        "60 s): a clock or capture anomaly, or not a Linux host; they are left out of the close rates",
    );
  });

  it("none over 60 s: no flag", () => {
    const r = buildTimeWaitReport({
      sockets: tws("10.0.0.1", 40000, 5, "10.0.0.2:80", 60_000),
      settings: settings(),
      windowSec: 10,
    });
    assert.equal(r.overlongTimers, null);
    assert.equal(r.destinations[0]!.ratePerSec, 0.5);
  });

  it("timewait on a capture with 2-minute timers warns and reports no close rate from them", () => {
    const path = join(work, "ss.txt");
    const rows = Array.from(
      { length: 40 },
      (_, i) => `TIME-WAIT  0      0      10.0.0.5:${40000 + i}      10.0.0.9:443  timer:(timewait,2min,0)`,
    );
    writeFileSync(
      path,
      `State      Recv-Q Send-Q Local Address:Port  Peer Address:Port\n${rows.join("\n")}\n`,
    );
    const r = sockdoc(["timewait", "--input", path, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /40 TIME_WAIT timers are over 60 s \(up to 120 s\)/);
    const report = JSON.parse(r.stdout);
    assert.equal(report.destinations[0].count, 40);
    assert.equal(report.destinations[0].ratePerSec, null);
    assert.match(report.warnings.join("\n"), /over 60 s/);
  });
});
