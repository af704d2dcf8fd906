/**
 * The addon's tally: sockets no analysis needs one by one are counted on the
 * lane thread (native/state-tally.cc) and never reach JavaScript. Decoding
 * and planning are checked on built inputs; the summary from a tally is
 * checked against the one /proc gives for the same sockets, in a namespace
 * the test makes (root).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Analysis } from "../../src/inspect/analysis.js";
import type { Running } from "../../src/inspect/dispatch.js";
import { balancedPasses, passTally, planPasses } from "../../src/inspect/read-sockets.js";
import { passStages } from "../../src/sources/sock-diag.js";
import { summaryAnalysis } from "../../src/inspect/analyses/summary.js";
import { InputError } from "../../src/model/errors.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { decodeTally } from "../../src/sources/sock-diag/tally.js";
import { createNetns, isRoot, makeSockets, type MadeSockets, sockdoc } from "../support/run.js";

const LISTEN = stateBit(TcpState.LISTEN);
const TW = stateBit(TcpState.TIME_WAIT);
const REST = ALL_STATES_MASK & ~LISTEN & ~TW;

function tallyWords(): Uint32Array {
  const states = new Array<number>(16).fill(0);
  states[TcpState.ESTABLISHED] = 3;
  states[TcpState.NEW_SYN_RECV] = 1;
  const ports = [2, 8080, 3, 443, 1];
  const v4 = [2, 2, 0x0100007f, 0, 0, 0]; // 127.0.0.1 in network order, as the kernel writes it
  const v6 = [10, 2, 0, 0, 0xffff0000, 0x0a00000a]; // ::ffff:10.0.0.10
  return Uint32Array.from([...states, ...ports, 2, ...v4, ...v6]);
}

function running(name: string, states: number, tally?: { states: number; detail: boolean }): Running {
  const analysis: Analysis<number> = {
    name,
    needs: { states, ...(tally ? { tally } : {}) },
    start: () => ({ add: () => {}, finish: () => 0 }),
  };
  return {
    analysis,
    collector: { add: () => {}, addTally: () => {}, finish: () => 0 },
    error: null,
    ownMs: 0,
  };
}

describe("decodeTally", () => {
  it("reads the counts per state, the ports and the addresses, IPv4-mapped ones as ss prints them", () => {
    const t = decodeTally(tallyWords());
    assert.equal(t.states[TcpState.ESTABLISHED], 3);
    assert.equal(t.states[TcpState.NEW_SYN_RECV], 1);
    assert.deepEqual(t.ports, [
      [8080, 3],
      [443, 1],
    ]);
    assert.deepEqual(t.peers, [
      ["127.0.0.1", 2],
      ["::ffff:10.0.0.10", 2],
    ]);
  });

  it("refuses a tally cut short instead of reading past it", () => {
    const words = tallyWords();
    for (const cut of [10, 17, 20, words.length - 1]) {
      assert.throws(() => decodeTally(words.subarray(0, cut)), InputError, `cut at ${cut}`);
    }
  });
});

describe("passTally", () => {
  it("tallies every state of a pass when the only collector takes them as a tally", () => {
    const t = passTally(
      [running("summary", ALL_STATES_MASK, { states: ALL_STATES_MASK, detail: true })],
      REST,
    );
    assert.equal(t?.states, REST);
    assert.equal(t?.detail, true);
  });

  it("keeps one by one the states another collector wants as sockets", () => {
    const summary = running("summary", ALL_STATES_MASK, { states: ALL_STATES_MASK, detail: false });
    const closeWait = running("closewait", stateBit(TcpState.CLOSE_WAIT));
    const t = passTally([summary, closeWait], REST);
    assert.equal(t?.states, REST & ~stateBit(TcpState.CLOSE_WAIT));
    assert.equal(t?.detail, false);
    assert.equal(passTally([summary, running("closewait-all", ALL_STATES_MASK)], REST), undefined);
    assert.equal(passTally([running("ls", ALL_STATES_MASK)], REST), undefined);
  });

  it("hands over the sockets of a local port range that a collector still wants, to it alone", () => {
    const summary = running("summary", ALL_STATES_MASK, { states: ALL_STATES_MASK, detail: false });
    const timeWait = running("timewait", ALL_STATES_MASK);
    timeWait.collector!.localPortsWanted = () => [32768, 60999];
    const seen: Record<string, number> = { summary: 0, timewait: 0 };
    summary.collector!.add = () => seen.summary!++;
    timeWait.collector!.add = () => seen.timewait!++;
    // TIME_WAIT is wanted whole: never tallied while timewait runs.
    assert.equal(passTally([summary, timeWait], TW), undefined);
    const t = passTally([summary, timeWait], REST)!;
    assert.equal(t.states, REST);
    assert.deepEqual(t.keep, [32768, 60999]);
    // A kept socket of a tallied state goes to timewait only: the summary counted it in the tally.
    t.visit({ state: TcpState.ESTABLISHED } as never);
    assert.deepEqual(seen, { summary: 0, timewait: 1 });
  });

  it("is planned per pass and gives the tally to the collectors that take it", () => {
    const got: number[] = [];
    const summary = running("summary", ALL_STATES_MASK, { states: ALL_STATES_MASK, detail: true });
    summary.collector!.addTally = (t) => got.push(t.states[TcpState.ESTABLISHED]!);
    const passes = planPasses([summary, running("listeners", LISTEN)], ALL_STATES_MASK);
    assert.deepEqual(
      passes.map((p) => p.tally?.states ?? 0),
      [0, TW, REST],
    );
    passes[2]!.tally!.take(decodeTally(tallyWords()));
    assert.deepEqual(got, [3]);
  });

  it("is asked by the summary only when no filter or owner looks at each socket", () => {
    const plain = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false });
    assert.deepEqual(plain.needs.tally, { states: ALL_STATES_MASK, detail: true });
    const counts = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
    assert.equal(counts.needs.tally?.detail, false);
    assert.equal(
      summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: true }).needs.tally,
      undefined,
    );
    const filtered = summaryAnalysis({
      statesMask: ALL_STATES_MASK,
      top: 5,
      owners: false,
      matches: () => true,
    });
    assert.equal(filtered.needs.tally, undefined);
  });
});

describe("balancedPasses", () => {
  const summaryOnly = () => [running("summary", ALL_STATES_MASK, { states: ALL_STATES_MASK, detail: true })];
  const minor = REST & ~stateBit(TcpState.ESTABLISHED) & ~stateBit(TcpState.CLOSE_WAIT);
  const dumps = (passes: ReturnType<typeof planPasses>) =>
    [...passStages([4, 6], passes, true)].flatMap((stage) => stage.plan);

  it("puts the orphaned states beside TIME_WAIT when that shortens the longer lane, still in three dumps", () => {
    const sizes = () => ({ inuse: 140_000, orphan: 50_000, tw: 100_000, alloc: null, mem: null });
    const running = summaryOnly();
    const passes = balancedPasses(running, planPasses(running, ALL_STATES_MASK), sizes);
    assert.deepEqual(
      passes.map((p) => [p.statesMask, p.lane]),
      [
        [LISTEN, undefined],
        [TW | minor, 1],
        [stateBit(TcpState.ESTABLISHED) | stateBit(TcpState.CLOSE_WAIT), 0],
      ],
    );
    const plan = dumps(passes);
    assert.equal(plan.length, 3);
    assert.deepEqual(
      plan.map((d) => d.lane),
      [0, 1, 0],
    );
    assert.ok(plan.every((d) => d.tally !== undefined && d.tally.states !== 0));
  });

  it("keeps TIME_WAIT alone when it is the bigger share, or when a collector needs its sockets first", () => {
    const manyTw = () => ({ inuse: 20_000, orphan: 15_000, tw: 200_000, alloc: null, mem: null });
    const plain = planPasses(summaryOnly(), ALL_STATES_MASK);
    const few = summaryOnly();
    const kept = balancedPasses(few, planPasses(few, ALL_STATES_MASK), manyTw);
    assert.deepEqual(
      kept.map((p) => p.statesMask),
      plain.map((p) => p.statesMask),
    );
    const busy = () => ({ inuse: 140_000, orphan: 50_000, tw: 100_000, alloc: null, mem: null });
    const withTimeWait = [...summaryOnly(), running("timewait", ALL_STATES_MASK)];
    assert.deepEqual(
      balancedPasses(withTimeWait, planPasses(withTimeWait, ALL_STATES_MASK), busy).map((p) => p.statesMask),
      [LISTEN, TW, REST],
    );
  });
});

const skip = !isRoot
  ? "needs root (a network namespace)"
  : loadNative().addon
    ? false
    : "native addon not built";

describe("a summary from the addon's tally", { skip }, () => {
  let ns: ReturnType<typeof createNetns>;
  const made: MadeSockets[] = [];
  before(async () => {
    ns = createNetns("tally");
    made.push(await makeSockets({ netns: ns.name, established: 3, closeWait: 2, timeWait: 4 }));
    made.push(await makeSockets({ netns: ns.name, host: "::1", established: 2, closeWait: 1, timeWait: 2 }));
  });
  after(() => {
    for (const m of made) m.child.kill();
    ns?.remove();
  });

  it("gives the exporter's gauges /proc gives, with the sockets timewait wants handed over", () => {
    const gauges = (out: string) =>
      out
        .split("\n")
        .filter((l) => /^sockdoc_(tcp_sockets|time_wait_destination_(sockets|ports_in_use))\{/.test(l))
        .sort();
    const tallied = sockdoc(["metrics", "--netns", ns.name, "--debug"]);
    assert.equal(tallied.status, 0, tallied.stderr);
    assert.match(tallied.stderr, /, \d+ sockets? tallied by the addon,/);
    const fromProc = sockdoc(["metrics", "--netns", ns.name, "--source", "proc"]);
    assert.equal(fromProc.status, 0, fromProc.stderr);
    const a = gauges(tallied.stdout);
    assert.ok(
      a.some((l) => /time_wait_destination_ports_in_use\{.*\} [1-9]/.test(l)),
      a.join("\n"),
    );
    assert.deepEqual(a, gauges(fromProc.stdout));
  });

  it("counts what /proc lists, per state, port and peer, without handing the sockets over", () => {
    const tallied = sockdoc(["summary", "--netns", ns.name, "--top", "100", "--json", "--debug"]);
    assert.equal(tallied.status, 0, tallied.stderr);
    const handed = /, (\d+) sockets? tallied by the addon,/.exec(tallied.stderr);
    assert.ok(handed, `the debug line names the tallied sockets: ${tallied.stderr}`);
    const fromProc = sockdoc(["summary", "--netns", ns.name, "--top", "100", "--json", "--source", "proc"]);
    assert.equal(fromProc.status, 0, fromProc.stderr);
    const a = JSON.parse(tallied.stdout);
    const b = JSON.parse(fromProc.stdout);
    assert.equal(a.source.kind, "netlink");
    assert.equal(b.source.kind, "proc");
    // Per maker 2 listeners; 5 established and 3 half-closed pairs (two sockets each), 6 TIME_WAIT.
    assert.equal(a.total, 2 * 2 + 2 * 5 + 2 * 3 + 6);
    assert.equal(Number(handed[1]), a.total);
    for (const key of ["total", "states", "topLocalPorts", "topPeers"]) assert.deepEqual(a[key], b[key], key);
  });
});
