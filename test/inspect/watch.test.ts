/**
 * Inspections over time: the iterator behind closewait --watch, and the
 * tracker's ages kept per network namespace and cookie.
 */
import assert from "node:assert/strict";
import { heldCapture } from "../../src/capture/capture-source.js";
import { describe, it } from "node:test";
import { CloseWaitTracker, type Seen, type SeenStore } from "../../src/analysis/close-wait/tracker.js";
import { summaryAnalysis } from "../../src/inspect/analyses/summary.js";
import type { Scope } from "../../src/inspect/scope.js";
import { inspections } from "../../src/inspect/watch.js";
import { ALL_STATES_MASK } from "../../src/model/tcp-state.js";
import { sock } from "../analysis/close-wait/make.js";

const empty: Scope = {
  kind: "capture",
  capture: heldCapture({
    sockets: [],
    host: { hostname: "(capture)", kernel: null, sysctls: {} },
    source: { kind: "capture", detail: "capture: x" },
    takenAt: 0,
    ownersResolved: false,
    warnings: [],
  }),
  families: [4, 6],
};
const analyses = [summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false })];

describe("inspections", () => {
  it("yields count inspections", async () => {
    let n = 0;
    for await (const i of inspections(
      empty,
      analyses,
      { count: 3, intervalMs: 1 },
      new AbortController().signal,
    )) {
      assert.ok(i.outcomes.get("summary")?.ok);
      n++;
    }
    assert.equal(n, 3);
  });
  it("stops when aborted, even without a count", async () => {
    const ac = new AbortController();
    let n = 0;
    for await (const _ of inspections(empty, analyses, { count: null, intervalMs: 1 }, ac.signal)) {
      if (++n === 5) ac.abort();
    }
    assert.equal(n, 5);
  });
});

describe("CloseWaitTracker keys", () => {
  it("keeps one age per namespace and cookie: the same cookie in two namespaces is two sockets", () => {
    const t = new CloseWaitTracker();
    const s = { ...sock(), cookie: "42", owners: [{ pid: 7, comm: "app", fd: 3 }] };
    t.add(1000, [s], "net:[1]");
    t.add(2000, [s], "net:[1]");
    assert.equal(t.get("pid:7")?.oldestFirstSeen, 1000);
    // Seen in another namespace only: the first one's socket is gone, this one is new.
    t.add(3000, [s], "net:[2]");
    const h = t.get("pid:7")!;
    assert.equal(h.oldestFirstSeen, 3000);
    assert.equal(h.gone, 1);
    assert.equal(h.added, 1);
  });
  it("keeps what it has seen in the store it is given", () => {
    const saved: Array<[number, number]> = [];
    const store: SeenStore = {
      map: new Map<string, Seen>(),
      previous() {
        return this.map;
      },
      replace(current, at) {
        this.map = current;
        saved.push([at, current.size]);
      },
    } as SeenStore & { map: Map<string, Seen> };
    const t = new CloseWaitTracker(120, store);
    t.add(
      1000,
      [
        { ...sock(), cookie: "1" },
        { ...sock(), cookie: "2" },
      ],
      "net:[1]",
    );
    assert.deepEqual(saved, [[1000, 2]]);
  });
});
