/**
 * T4's parts that need no namespace: the state check of a scrape, CPU time
 * from /proc/PID/stat, the ratios and their verdicts, --tasks, and the HTTP
 * probe leaving no TIME_WAIT behind.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkPrometheusStates } from "../../bench/checks.js";
import { parseOptions } from "../../bench/options.js";
import { statCpuTicks } from "../../bench/proc-cpu.js";
import { renderText } from "../../bench/report.js";
import { type BenchResult, RESULT_SCHEMA, scrapeRatios } from "../../bench/result.js";
import { httpGet } from "../../bench/runner/http-probe.js";
import type { ScrapeResult, ScrapeRow } from "../../bench/scrape-task.js";

const COUNTS = { TIME_WAIT: 10_000, CLOSE_WAIT: 5_000, LISTEN: 2 };

describe("checkPrometheusStates", () => {
  it("accepts node_exporter's and sockdoc's per-state samples that match the load", () => {
    const nodeExporter = [
      "# TYPE node_tcp_connection_states gauge",
      'node_tcp_connection_states{state="time_wait"} 10010',
      'node_tcp_connection_states{state="close_wait"} 5000',
      'node_tcp_connection_states{state="listen"} 3',
    ].join("\n");
    assert.equal(checkPrometheusStates(nodeExporter, "node_tcp_connection_states", COUNTS), null);
    const sockdoc =
      'sockdoc_tcp_sockets{state="time_wait"} 9990\nsockdoc_tcp_sockets{state="close_wait"} 5000\n';
    assert.equal(checkPrometheusStates(sockdoc, "sockdoc_tcp_sockets", COUNTS), null);
  });
  it("names the states that are off, and a scrape without the metric", () => {
    const off = 'm{state="time_wait"} 9000\nm{state="close_wait"} 5000\nm{state="listen"} 2\n';
    assert.equal(checkPrometheusStates(off, "m", COUNTS), "wrong counts: TIME_WAIT 9000 (counted 10000)");
    assert.equal(checkPrometheusStates("other 1\n", "m", COUNTS), "no m samples in the scrape");
  });
});

describe("statCpuTicks", () => {
  it("adds utime and stime, even when the name holds spaces and parentheses", () => {
    const stat = "42 (a (b) c) S 1 42 42 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 1 0 5 0 0";
    assert.equal(statCpuTicks(stat), 287);
  });
  it("reads this process's own ticks", () => {
    assert.ok(statCpuTicks(readFileSync("/proc/self/stat", "utf8")) >= 0);
  });
});

function row(tool: string, medianMs: number, cpuMsPerScrape: number, otherMedianMs: number): ScrapeRow {
  return {
    tool,
    command: tool,
    status: "ok",
    wallMs: [medianMs],
    medianMs,
    cpuMs: [cpuMsPerScrape],
    cpuMsPerScrape,
    otherMs: [otherMedianMs],
    otherMedianMs,
    otherNotDuring: 0,
    concurrent: { count: 50, p50Ms: medianMs * 2, maxMs: medianMs * 3, failed: 0 },
  };
}

const SCRAPE: ScrapeResult = {
  id: "T4",
  title: "one scrape",
  reference: "node_exporter",
  targets: [
    { tool: "sockdoc metrics", ratio: 0.5 },
    { tool: "sockdoc metrics -p", ratio: 1.0 },
  ],
  otherRequestMs: 100,
  rows: [
    row("node_exporter", 200, 100, 5),
    row("sockdoc metrics", 80, 40, 50),
    row("sockdoc metrics -p", 300, 90, 400),
  ],
  countsBefore: COUNTS,
  countsAfter: COUNTS,
  timeWaitMaxAgeS: 20,
  timeWaitRemakes: 0,
  problems: [],
};

describe("T4 ratios and verdicts", () => {
  it("divides wall time and CPU per scrape by node_exporter's", () => {
    assert.deepEqual(scrapeRatios(SCRAPE, "sockdoc metrics"), { wall: 0.4, cpu: 0.4 });
    assert.deepEqual(scrapeRatios(SCRAPE, "sockdoc metrics -p"), { wall: 1.5, cpu: 0.9 });
  });
  it("prints MET only when both wall and CPU are within the target", () => {
    const result: BenchResult = {
      schema: RESULT_SCHEMA,
      host: { kernel: "k", cpus: 2, node: "v20", gnuTime: true },
      namespace: "ns",
      runs: 1,
      defaultLoad: true,
      load: null,
      tasks: [],
      memory: null,
      netns: null,
      trace: null,
      scrape: SCRAPE,
      scaling: null,
      notes: [],
    };
    const text = renderText(result);
    assert.match(text, /target sockdoc metrics <= 0\.50 x node_exporter: MET \(wall 0\.40, CPU 0\.40\)/);
    assert.match(
      text,
      /target sockdoc metrics -p <= 1\.00 x node_exporter: NOT MET \(wall 1\.50, CPU 0\.90\)/,
    );
    assert.match(text, /sockdoc metrics -p +400 {2}NOT MET/);
    assert.match(text, /sockdoc metrics +p50 +160, max 240/);
    assert.match(
      text,
      /state counts in the scrapes agree with the load: node_exporter, sockdoc metrics, sockdoc/,
    );
  });
});

describe("bench --tasks", () => {
  it("runs every task by default and a chosen few when asked", () => {
    assert.deepEqual(parseOptions([]).tasks, ["T1", "T2", "T3", "T4", "T5", "T6"]);
    assert.deepEqual(parseOptions(["--tasks", "t4,T1"]).tasks, ["T1", "T4"]);
    assert.throws(() => parseOptions(["--tasks", "T7"]), /--tasks wants some of/);
  });
});

describe("httpGet (the runner's probe)", () => {
  it("times a GET and resets the connection, leaving no TIME_WAIT behind", async () => {
    const server = createServer((_req, res) => res.end("hello\n"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const answer = await httpGet(`http://127.0.0.1:${port}/`, true);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, "hello\n");
      assert.ok(answer.ms > 0);
      await new Promise((r) => setTimeout(r, 200));
      const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")} `;
      const timeWait = readFileSync("/proc/net/tcp", "latin1")
        .split("\n")
        .filter((line) => line.includes(hex) && line.trim().split(/\s+/)[3] === "06");
      assert.deepEqual(timeWait, []);
    } finally {
      server.close();
    }
  });
});
