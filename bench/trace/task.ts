/**
 * @module T6 "tracer overhead": CHURN loopback connections a second for a
 * few seconds in a namespace of its own (churn.cc, ~10 TCP state changes
 * each), first without a tracer, then with `sockdoc trace --netns NS
 * --format ndjson > /dev/null`, once with `state close-wait` (what a leak
 * hunt runs) and once with every change. The tracer's CPU is its
 * utime + stime over the churn (/proc/PID/stat); the kernel side (the BPF
 * program runs in the context of whoever changes a socket's state) is the
 * rise in the churn process's own CPU per connection. Both are given as a
 * share of one core at the target rate, since two busy processes on a
 * small host may not reach it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { trackChild, trackNamespace, removeNamespace } from "../cleanup.js";
import { createNamespace } from "../namespace.js";
import { BENCH_DIST, REPO_ROOT } from "../ns-process.js";
import { cpuMs } from "../proc-cpu.js";
import { progress } from "../progress.js";
import { median } from "../stats.js";
import { SOCKDOC_PATH } from "../tasks.js";

export const TRACE_TASK = { rate: 20_000, seconds: 4, ports: 16, targetPercent: 5 };

interface Churn {
  connections: number;
  wallMs: number;
  cpuMs: number;
  failed: number;
}

export interface TraceRow {
  what: string;
  /** Connections a second reached with the tracer running. */
  rate: number;
  changesSeen: number;
  lost: number;
  /** The tracer's CPU, % of one core, at the target rate. */
  tracerPercent: number;
  /** The churn's extra CPU per connection (the BPF program), % of one core at the target rate. */
  kernelPercent: number;
}

export interface TraceResult {
  id: "T6";
  spec: typeof TRACE_TASK;
  /** Connections a second without a tracer. */
  baseRate: number;
  rows: TraceRow[];
  problems: string[];
}

const SOURCE = join(REPO_ROOT, "bench", "trace", "churn.cc");
const BINARY = join(BENCH_DIST, "trace", "churn");

function buildChurn(): string {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return BINARY;
  const r = spawnSync("g++", ["-O2", "-Wall", "-o", BINARY, SOURCE], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`T6: g++ churn.cc failed: ${r.error?.message ?? r.stderr.trim()}`);
  return BINARY;
}

function churn(ns: string, binary: string): Churn {
  const { rate, seconds, ports } = TRACE_TASK;
  const r = spawnSync("ip", ["netns", "exec", ns, binary, String(rate), String(seconds), String(ports)], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`T6: churn failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Churn;
}

/** Starts the tracer and waits until its program is attached. */
async function startTracer(
  ns: string,
  filter: string[],
): Promise<{ child: ChildProcess; summary: Promise<string> }> {
  const child = spawn(SOCKDOC_PATH, ["trace", "--netns", ns, "--format", "ndjson", ...filter], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  trackChild(child);
  const lines = createInterface({ input: child.stderr! });
  let last = "";
  const summary = new Promise<string>((resolve) => child.once("exit", () => resolve(last)));
  await new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      last = line;
      if (line.includes("tracing TCP state changes")) resolve();
    });
    void summary.then(() => reject(new Error(`T6: sockdoc trace stopped: ${last}`)));
  });
  return { child, summary };
}

const perConnectionPercent = (cpuMsPerConnection: number) => (cpuMsPerConnection * TRACE_TASK.rate) / 10;

export async function runTraceTask(runs: number, prefix: string): Promise<TraceResult> {
  const ns = `${prefix}-trace`;
  const binary = buildChurn();
  createNamespace(ns);
  trackNamespace(ns);
  const problems: string[] = [];
  try {
    const base = Array.from({ length: runs }, () => churn(ns, binary));
    const baseCpuPerConn = median(base.map((c) => c.cpuMs / c.connections));
    const baseRate = median(base.map((c) => (c.connections / c.wallMs) * 1000));
    progress(`T6: ${baseRate.toFixed(0)} connections/s without a tracer`);
    const rows: TraceRow[] = [];
    for (const [what, filter] of [
      ["trace state close-wait", ["state", "close-wait"]],
      ["... --no-owners", ["--no-owners", "state", "close-wait"]],
      ["trace (every change)", []],
    ] as const) {
      const samples: Array<{ tracer: number; kernel: number; rate: number; seen: number; lost: number }> = [];
      for (let r = 0; r < runs; r++) {
        const tracer = await startTracer(ns, [...filter]);
        const pid = tracer.child.pid!;
        const before = cpuMs(pid);
        const c = churn(ns, binary);
        // The last batch is read ~100 ms after the churn ends.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const used = cpuMs(pid) - before;
        tracer.child.kill("SIGINT");
        const summary = await tracer.summary;
        const m = /(\d+) changes seen, \d+ shown, (\d+) lost/.exec(summary);
        if (!m) problems.push(`${what}: no summary from sockdoc trace ("${summary}")`);
        samples.push({
          tracer: perConnectionPercent(used / c.connections),
          kernel: perConnectionPercent(c.cpuMs / c.connections - baseCpuPerConn),
          rate: (c.connections / c.wallMs) * 1000,
          seen: Number(m?.[1] ?? 0),
          lost: Number(m?.[2] ?? 0),
        });
      }
      const row: TraceRow = {
        what,
        rate: median(samples.map((s) => s.rate)),
        changesSeen: median(samples.map((s) => s.seen)),
        lost: Math.max(...samples.map((s) => s.lost)),
        tracerPercent: median(samples.map((s) => s.tracer)),
        kernelPercent: median(samples.map((s) => s.kernel)),
      };
      rows.push(row);
      progress(
        `T6 ${what}: tracer ${row.tracerPercent.toFixed(1)}%, kernel ${row.kernelPercent.toFixed(1)}% of a core`,
      );
    }
    return { id: "T6", spec: TRACE_TASK, baseRate, rows, problems };
  } finally {
    removeNamespace(ns);
    trackNamespace(null);
  }
}

/** T6's lines for the text report. */
export function traceBlock(r: TraceResult): string[] {
  const { rate, seconds, targetPercent } = r.spec;
  const out = [
    `T6 tracer overhead: ${rate.toLocaleString("en-US")} loopback connections/s asked for ${seconds} s ` +
      `(${r.baseRate.toFixed(0)}/s reached without a tracer), sockdoc trace --format ndjson > /dev/null`,
    `  ${"tracer".padEnd(24)}${"conn/s".padStart(8)}${"changes".padStart(10)}${"lost".padStart(7)}` +
      `${"sockdoc %".padStart(11)}${"kernel %".padStart(10)}${"total %".padStart(9)}`,
  ];
  for (const row of r.rows) {
    const total = row.tracerPercent + row.kernelPercent;
    out.push(
      `  ${row.what.padEnd(24)}${row.rate.toFixed(0).padStart(8)}${String(row.changesSeen).padStart(10)}` +
        `${String(row.lost).padStart(7)}${row.tracerPercent.toFixed(1).padStart(11)}${row.kernelPercent.toFixed(1).padStart(10)}` +
        `${total.toFixed(1).padStart(9)}`,
      `    target <= ${targetPercent}% of one core at ${rate.toLocaleString("en-US")}/s: ${total <= targetPercent ? "MET" : "NOT MET"} (${total.toFixed(1)}%)`,
    );
  }
  out.push("  (% of one core at the asked rate: CPU per connection x rate; kernel = the churn's extra CPU)");
  for (const p of r.problems) out.push(`  problem: ${p}`);
  return out;
}
