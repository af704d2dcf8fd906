import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keepRelevant } from "../../../src/analysis/close-wait/relevant.js";
import { closeWaitPredicate } from "../../../src/cli/closewait/predicate.js";
import { passwdPathFor, toFacts } from "../../../src/inspect/process-facts.js";
import { planSampling } from "../../../src/cli/closewait/sampling.js";
import { compactNumbers, duration, wrap } from "../../../src/report/wrap.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { ProcFs } from "../../../src/sources/procfs.js";
import { listener, sock } from "../../analysis/close-wait/make.js";

describe("planSampling", () => {
  it("takes one sample by default, two with --interval alone, N with --count", () => {
    assert.deepEqual(planSampling({}), { count: 1, intervalMs: 5000, watch: false });
    assert.deepEqual(planSampling({ interval: "2" }), { count: 2, intervalMs: 2000, watch: false });
    assert.deepEqual(planSampling({ interval: "0.5", count: "6" }), {
      count: 6,
      intervalMs: 500,
      watch: false,
    });
  });
  it("samples until stopped with --watch, or --count times", () => {
    assert.equal(planSampling({ watch: true }).count, null);
    assert.equal(planSampling({ watch: true, count: "3" }).count, 3);
  });
  it("refuses nonsense with a usage error", () => {
    for (const bad of [
      { interval: "0" },
      { interval: "x" },
      { count: "0" },
      { count: "1.5" },
      { interval: "9999" },
    ]) {
      assert.throws(() => planSampling(bad), { name: "UsageError" }, JSON.stringify(bad));
    }
  });
});

describe("collect helpers", () => {
  it("keeps listeners only on ports that have CLOSE_WAIT sockets", () => {
    const kept = keepRelevant([
      listener("0.0.0.0:80", 0, 5),
      listener("0.0.0.0:22", 0, 5),
      sock({ local: "10.0.0.5:80" }),
    ]);
    assert.deepEqual(
      kept.map((s) => [s.state, s.local.port]),
      [
        [TcpState.LISTEN, 80],
        [TcpState.CLOSE_WAIT, 80],
      ],
    );
  });
  it("applies the user's filter and refuses one that excludes CLOSE_WAIT", () => {
    const p = closeWaitPredicate(["sport", "=", ":80"]);
    assert.ok(p);
    assert.equal(p(sock({ local: "10.0.0.5:80" })), true);
    assert.equal(p(sock({ local: "10.0.0.5:81" })), false);
    // No filter, or one of states only that keeps CLOSE_WAIT: every CLOSE_WAIT socket.
    assert.equal(closeWaitPredicate([]), undefined);
    assert.throws(() => closeWaitPredicate(["state", "time-wait"]), { name: "UsageError" });
    assert.equal(closeWaitPredicate(["state", "close-wait"])?.(sock()) ?? true, true);
  });
});

describe("process facts", () => {
  it("maps process-info's record, treating an unlimited fd limit and an empty cmdline as unknown", () => {
    const f = toFacts({
      pid: 9,
      comm: null,
      cmdline: "",
      uid: 0,
      user: "root",
      cgroup: null,
      unit: "x.service",
      containerId: null,
      startedAt: null,
      fdCount: 4,
      fdSoftLimit: "unlimited",
      threads: [{ tid: 9, name: null, state: null, wchan: "0" }],
    });
    assert.deepEqual(f, {
      pid: 9,
      comm: "?",
      cmdline: null,
      uid: 0,
      user: "root",
      unit: "x.service",
      container: null,
      fdCount: 4,
      fdLimit: null,
      threads: [{ tid: 9, name: "?", state: "?", wchan: "0" }],
    });
  });
  it("reads user names beside a --proc-root tree, from /etc/passwd on the host", () => {
    assert.equal(passwdPathFor(new ProcFs()), "/etc/passwd");
    assert.equal(passwdPathFor(new ProcFs("/x/sosreport/proc")), "/x/sosreport/etc/passwd");
  });
});

describe("wrap, compactNumbers, duration", () => {
  it("wraps words under the first line's text", () => {
    assert.deepEqual(wrap("aa bb cc dd", 8, "> ", "  "), ["> aa bb", "  cc dd"]);
    assert.deepEqual(wrap("", 8), []);
    assert.deepEqual(wrap("averyveryverylongword x", 10, "  "), ["  averyver", "  yverylon", "  gword x"]);
  });
  it("shows fd lists as ranges", () => {
    assert.equal(compactNumbers([3, 4, 5, 9, 11, 12]), "3-5, 9, 11-12");
    assert.equal(compactNumbers([1, 3, 5, 7], 2), "1, 3, … (4 in all)");
  });
  it("reads durations the way people say them", () => {
    assert.equal(duration(45), "45 s");
    assert.equal(duration(600), "10 min");
    assert.equal(duration(3 * 3600 + 300), "3 h 5 min");
    assert.equal(duration(50 * 3600), "2 d 2 h");
  });
});
