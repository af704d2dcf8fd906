import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Growth } from "../../../src/analysis/close-wait/growth.js";
import {
  gradeGroup,
  maxSeverity,
  severityRank,
  THRESHOLDS,
} from "../../../src/analysis/close-wait/severity.js";
import type { ListenerInfo } from "../../../src/analysis/close-wait/types.js";

const steady: Growth = {
  samples: 3,
  windowSeconds: 60,
  new: 0,
  gone: 0,
  oldestSeenSeconds: 60,
  perMinute: 0,
  limitEtaSeconds: null,
};

function grade(
  count: number,
  over: { growth?: Growth | null; fd?: [number, number] | null; listener?: ListenerInfo } = {},
) {
  const cause = over.listener ? "not-accepted" : "eof-not-closed";
  const fd = over.fd ? { count: over.fd[0], limit: over.fd[1] } : null;
  return gradeGroup({ count, cause, listener: over.listener ?? null }, over.growth ?? null, fd);
}

function queue(full: boolean | null): ListenerInfo {
  return {
    local: { address: "0.0.0.0", port: 80 },
    backlog: 1,
    acceptQueue: 1,
    full,
    ownerPid: 1,
    ownerComm: "x",
  };
}

describe("gradeGroup", () => {
  it("grades by count at the documented thresholds", () => {
    assert.equal(grade(THRESHOLDS.warningCount - 1).severity, "info");
    assert.equal(grade(THRESHOLDS.warningCount).severity, "warning");
    assert.equal(grade(THRESHOLDS.criticalCount - 1).severity, "warning");
    assert.equal(grade(THRESHOLDS.criticalCount).severity, "critical");
  });

  it("grades by the owner's share of its open-files limit", () => {
    assert.equal(grade(3, { fd: [400, 1000] }).severity, "info");
    assert.equal(grade(3, { fd: [500, 1000] }).severity, "warning");
    const c = grade(3, { fd: [950, 1000] });
    assert.equal(c.severity, "critical");
    assert.match(c.reasons[0] ?? "", /950 of 1000 open files \(95%\)/);
  });

  it("warns on growth and turns critical when the limit is less than an hour away", () => {
    assert.equal(grade(3, { growth: { ...steady, new: 4, perMinute: 2 } }).severity, "warning");
    const soon = grade(3, { growth: { ...steady, new: 40, perMinute: 20, limitEtaSeconds: 1800 } });
    assert.equal(soon.severity, "critical");
    assert.match(soon.reasons.join(";"), /in about 30 min/);
    assert.equal(
      grade(3, { growth: { ...steady, new: 1, perMinute: 1, limitEtaSeconds: 7200 } }).severity,
      "warning",
    );
    assert.equal(grade(3, { growth: steady }).severity, "info");
  });

  it("warns on un-accepted connections and is critical when the queue is full", () => {
    assert.equal(grade(1, { listener: queue(false) }).severity, "warning");
    assert.equal(grade(1, { listener: queue(null) }).severity, "warning");
    assert.equal(grade(1, { listener: queue(true) }).severity, "critical");
  });
});

describe("maxSeverity", () => {
  it("is none for no groups and the worst otherwise", () => {
    assert.equal(maxSeverity([]), "none");
    assert.equal(maxSeverity(["info", "critical", "warning"]), "critical");
    assert.ok(severityRank("warning") > severityRank("info"));
    assert.ok(severityRank("info") > severityRank("none"));
  });
});
