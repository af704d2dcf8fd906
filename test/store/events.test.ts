/**
 * The event detector (pure): leak start, end and restart, a destination
 * crossing warning or critical, a setting change; nothing when nothing changed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectEvents, emptyState } from "../../src/store/events.js";
import type { CloseWaitGroupSample, DestinationSample, NamespaceSample } from "../../src/store/sample.js";

function group(
  pid: number,
  count: number,
  comm = "java",
  cmdline = "java -jar app.jar",
): CloseWaitGroupSample {
  return {
    pid,
    comm,
    cmdline,
    unit: null,
    localPort: 8080,
    peerPort: null,
    cause: "eof-not-closed",
    count,
    firstSeen: 1,
  };
}

function dest(severity: DestinationSample["severity"], portsLeft = 100): DestinationSample {
  return {
    local: "10.0.0.1:*",
    remote: "10.0.0.2:5432",
    count: 28000,
    portsLeft,
    ratePerSec: 450,
    exhaustedInSec: 12,
    severity,
  };
}

function sample(at: number, parts: Partial<NamespaceSample> = {}): NamespaceSample {
  return {
    at,
    netns: "",
    readMs: 1,
    states: {},
    closeWait: [],
    timeWait: [],
    sysctls: null,
    findings: [],
    ...parts,
  };
}

describe("detectEvents", () => {
  it("a process's first CLOSE_WAIT is leak-start, once", () => {
    const a = detectEvents(emptyState(), sample(1000, { closeWait: [group(10, 3)] }));
    assert.deepEqual(
      a.events.map((e) => [e.kind, e.at]),
      [["leak-start", 1000]],
    );
    assert.match(a.events[0]!.text, /java \(pid 10\).*3 \(port 8080\)/);
    const b = detectEvents(a.next, sample(2000, { closeWait: [group(10, 5)] }));
    assert.deepEqual(b.events, []);
  });

  it("the same program under a new pid is leak-restart; the old pid's end is reported", () => {
    const a = detectEvents(emptyState(), sample(1000, { closeWait: [group(10, 3)] }));
    const b = detectEvents(a.next, sample(2000, { closeWait: [group(11, 1)] }));
    assert.deepEqual(
      b.events.map((e) => e.kind),
      ["leak-end", "leak-restart"],
    );
    assert.match(b.events[1]!.text, /pid 10 → 11/);
  });

  it("a restart is recognised after samples without any CLOSE_WAIT in between", () => {
    let s = detectEvents(emptyState(), sample(1000, { closeWait: [group(10, 3)] })).next;
    s = detectEvents(s, sample(2000)).next;
    const c = detectEvents(s, sample(3000, { closeWait: [group(12, 1)] }));
    assert.deepEqual(
      c.events.map((e) => e.kind),
      ["leak-restart"],
    );
  });

  it("another program is leak-start, not a restart", () => {
    const a = detectEvents(emptyState(), sample(1000, { closeWait: [group(10, 3)] }));
    const b = detectEvents(
      a.next,
      sample(2000, { closeWait: [group(10, 3), group(20, 1, "python3", "python3 x.py")] }),
    );
    assert.deepEqual(
      b.events.map((e) => e.kind),
      ["leak-start"],
    );
  });

  it("a destination crossing warning then critical: one event each, none while it stays", () => {
    const a = detectEvents(emptyState(), sample(1000, { timeWait: [dest("info")] }));
    assert.deepEqual(a.events, []);
    const b = detectEvents(a.next, sample(2000, { timeWait: [dest("warning")] }));
    assert.deepEqual(
      b.events.map((e) => e.kind),
      ["timewait-warning"],
    );
    const c = detectEvents(b.next, sample(3000, { timeWait: [dest("warning")] }));
    assert.deepEqual(c.events, []);
    const d = detectEvents(c.next, sample(4000, { timeWait: [dest("critical", 0)] }));
    assert.deepEqual(
      d.events.map((e) => e.kind),
      ["timewait-critical"],
    );
    assert.match(
      d.events[0]!.text,
      /10\.0\.0\.1:\* → 10\.0\.0\.2:5432 is critical: 28000 sockets, 0 ports left/,
    );
  });

  it("a sysctl change is a setting event; the first sample is only the baseline", () => {
    const a = detectEvents(emptyState(), sample(1000, { sysctls: { "net.ipv4.tcp_tw_reuse": "2" } }));
    assert.deepEqual(a.events, []);
    const b = detectEvents(a.next, sample(2000, { sysctls: { "net.ipv4.tcp_tw_reuse": "1" } }));
    assert.deepEqual(
      b.events.map((e) => [e.kind, e.text]),
      [["setting", "net.ipv4.tcp_tw_reuse: 2 → 1"]],
    );
    // Unknown sysctls (a read that could not get them) change nothing.
    const c = detectEvents(b.next, sample(3000, { sysctls: null }));
    assert.deepEqual(c.events, []);
    assert.deepEqual(c.next.sysctls, { "net.ipv4.tcp_tw_reuse": "1" });
  });
});
