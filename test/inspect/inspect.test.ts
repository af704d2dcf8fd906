/**
 * The inspection layer: one read for many analyses (the dump requests are
 * counted on the live host), a failing analysis kept apart from the others,
 * and the same results from netlink and from /proc for the same sockets.
 */
import assert from "node:assert/strict";
import { heldCapture } from "../../src/capture/capture-source.js";
import { after, before, describe, it } from "node:test";
import { closeWaitAnalysis } from "../../src/inspect/analyses/close-wait.js";
import { socketsAnalysis } from "../../src/inspect/analyses/sockets.js";
import { summaryAnalysis } from "../../src/inspect/analyses/summary.js";
import { timeWaitAnalysis } from "../../src/inspect/analyses/time-wait.js";
import type { Analysis } from "../../src/inspect/analysis.js";
import { failures, inspect, resultOf, resultOrNull } from "../../src/inspect/inspect.js";
import type { HostScope, Scope } from "../../src/inspect/scope.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES_MASK, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { type Loopback, loopback } from "../fixtures/native/loopback.js";
import { sockdoc } from "../support/run.js";
import { serveMetrics } from "../support/metrics-server.js";

const host = (source: HostScope["source"] = "auto"): Scope => ({
  kind: "host",
  proc: new ProcFs("/proc"),
  source,
  families: [4, 6],
});

/** An analysis that fails at its third socket, to show the others go on. */
function failing(): Analysis<number> {
  return {
    name: "broken",
    needs: { states: ALL_STATES_MASK },
    start() {
      let n = 0;
      return {
        add: () => {
          if (++n === 3) throw new Error("boom at the third socket");
        },
        finish: () => n,
      };
    },
  };
}

describe("inspect on the live host", { skip: loadNative().addon ? false : "native addon not built" }, () => {
  let lb: Loopback;
  let port = 0;
  before(async () => {
    lb = loopback();
    const server = await lb.listen("127.0.0.1", { allowHalfOpen: true });
    port = (server.address() as { port: number }).port;
    // Half-closed pairs: the server side sits in CLOSE_WAIT, the client in FIN_WAIT2.
    for (let i = 0; i < 3; i++) {
      const { client } = await lb.connect(server);
      client.end();
    }
    await new Promise((r) => setTimeout(r, 100));
  });
  after(async () => lb.cleanup());

  it("reads once for the default report's analyses: at most three dump requests", async () => {
    const inspection = await inspect(host(), [
      summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false }),
      timeWaitAnalysis({ windowSec: 10 }),
      closeWaitAnalysis({ threads: true }),
    ]);
    assert.equal(inspection.facts.source.kind, "netlink");
    assert.ok(inspection.stats.dumps >= 1 && inspection.stats.dumps <= 3, `dumps: ${inspection.stats.dumps}`);
    assert.deepEqual(failures(inspection), []);
  });

  it("reads once for metrics -p (summary, timewait, closewait with owners): at most three dumps", async () => {
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
    const closeWaitOf = closeWaitAnalysis({ threads: false });
    const inspection = await inspect(host(), [summaryOf, timeWaitAnalysis({ windowSec: 10 }), closeWaitOf]);
    assert.ok(inspection.stats.dumps <= 3, `dumps: ${inspection.stats.dumps}`);
    // One read: the state counts and the CLOSE_WAIT report agree.
    const cw = resultOf(inspection, closeWaitOf).report.total;
    assert.equal(resultOf(inspection, summaryOf).states.CLOSE_WAIT ?? 0, cw);
    assert.ok(cw >= 3);
    const mine = resultOf(inspection, closeWaitOf).report.processes.find((p) => p.pid === process.pid);
    assert.ok(mine && mine.closeWait >= 3, "this process holds its CLOSE_WAIT sockets");
  });

  it("walks the table once for a scope read again and again (oneWalk): LISTEN, then the rest", async () => {
    const run = async (scope: Scope) => {
      const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
      const closeWaitOf = closeWaitAnalysis({ threads: false });
      const inspection = await inspect(scope, [summaryOf, timeWaitAnalysis({ windowSec: 10 }), closeWaitOf]);
      assert.deepEqual(failures(inspection), []);
      const mine = resultOf(inspection, closeWaitOf).report.processes.find((p) => p.pid === process.pid);
      return { dumps: inspection.stats.dumps, mine: mine?.closeWait ?? 0 };
    };
    const lanes = await run(host());
    const once = await run({ ...(host() as HostScope), oneWalk: true });
    // This file's server listens, so LISTEN has its own dump either way.
    assert.equal(lanes.dumps, 3);
    assert.equal(once.dumps, 2);
    assert.equal(once.mine, lanes.mine);
    assert.ok(once.mine >= 3);
  });

  for (const args of [[], ["metrics", "-p"], ["summary"], ["timewait"], ["closewait"]]) {
    it(`sockdoc ${args.join(" ") || "(the default report)"} sends at most three dump requests`, () => {
      const r = sockdoc([...args, "--debug"]);
      assert.equal(r.status, 0, r.stderr);
      const counts = [...r.stderr.matchAll(/: (\d+) dump requests?,/g)].map((m) => Number(m[1]));
      assert.equal(counts.length, 1, `one inspection: ${r.stderr}`);
      assert.ok(counts[0]! >= 1 && counts[0]! <= 3, r.stderr);
    });
  }

  it("metrics walks the table once per scrape when serving, twice (two lanes) when printing once", async () => {
    const printed = sockdoc(["metrics", "--debug"]);
    assert.match(printed.stderr, /: 3 dump requests,/);
    const server = await serveMetrics(["127.0.0.1:0", "--debug"]);
    try {
      assert.equal((await fetch(server.url)).status, 200);
      // LISTEN (this file's server), then every other state in one walk.
      assert.match(await server.lineMatching(/debug: inspection of/), /: 2 dump requests,/);
    } finally {
      await server.stop();
    }
  });

  it("keeps a failing analysis's error while the others report", async () => {
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false });
    const broken = failing();
    const inspection = await inspect(host(), [broken, summaryOf]);
    assert.equal(resultOrNull(inspection, broken), null);
    assert.deepEqual(failures(inspection), ["broken failed: boom at the third socket"]);
    assert.ok(resultOf(inspection, summaryOf).total >= 7);
    assert.throws(() => resultOf(inspection, broken), /boom at the third socket/);
  });

  it("gives the same sockets through netlink and through /proc", async () => {
    const mask = 1 << TcpState.CLOSE_WAIT;
    // Only this test's sockets: other processes' come and go between the two reads.
    const mine = (s: TcpSocket) => s.local.port === port;
    const a = socketsAnalysis({ statesMask: mask, matches: mine, owners: true });
    const b = socketsAnalysis({ statesMask: mask, matches: mine, owners: true });
    const viaNetlink = resultOf(await inspect(host("netlink"), [a]), a);
    const viaProc = resultOf(await inspect(host("proc"), [b]), b);
    const key = (s: (typeof viaNetlink)[number]) =>
      `${s.local.address}:${s.local.port} ${s.remote.address}:${s.remote.port} ${s.inode} ${s.owners?.map((o) => `${o.pid}/${o.fd}`).join(",")}`;
    assert.deepEqual(viaNetlink.map(key).sort(), viaProc.map(key).sort());
    assert.equal(viaNetlink.length, 3);
    assert.ok(viaNetlink.some((s) => s.owners?.some((o) => o.pid === process.pid)));
  });
});

describe("inspect on a capture", () => {
  it("reads the capture once and feeds every analysis from it", async () => {
    const capture = heldCapture({
      sockets: [],
      host: { hostname: "(capture)", kernel: null, sysctls: {} },
      source: { kind: "capture" as const, detail: "capture: x (ss)" },
      takenAt: 1_700_000_000_000,
      ownersResolved: false,
      warnings: ["a warning of the capture"],
    });
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false });
    const timeWaitOf = timeWaitAnalysis({ windowSec: 10 });
    const inspection = await inspect({ kind: "capture", capture, families: [4, 6] }, [summaryOf, timeWaitOf]);
    assert.equal(inspection.stats.dumps, 0);
    assert.equal(inspection.facts.takenAt, capture.takenAt, "a capture keeps its own time");
    assert.deepEqual(inspection.warnings, ["a warning of the capture"]);
    assert.equal(resultOf(inspection, summaryOf).total, 0);
    // The capture carries no sysctls: the TIME_WAIT settings say so instead of reading this host's.
    assert.equal(inspection.facts.sysctlsKnown, false);
    assert.ok(resultOf(inspection, timeWaitOf).warnings.some((w) => w.includes("ip_local_port_range")));
  });
});
