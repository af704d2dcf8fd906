/**
 * @module T5 "every namespace": NAMESPACES network namespaces, each with a
 * CLOSE_WAIT leak and TIME_WAIT (maker.py, a few processes that enter each
 * namespace to make its sockets), read from the host by `sockdoc summary
 * --all-netns` and `closewait --all-netns` against a shell loop of `ss -tan
 * -N NAME` (and `ss -tanp -N NAME state close-wait`) over the same
 * namespaces. Counts are checked to agree before anything is timed. Runs
 * after the main load is gone, so --all-netns sees only these and the host's.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "../ns-process.js";
import { progress } from "../progress.js";
import { median } from "../stats.js";
import { SOCKDOC_PATH } from "../tasks.js";

export interface NetnsTaskSpec {
  namespaces: number;
  closeWait: number;
  timeWait: number;
  /** Namespaces per maker process (each holds its CLOSE_WAIT fds). */
  perMaker: number;
}

export const NETNS_TASK: NetnsTaskSpec = { namespaces: 100, closeWait: 500, timeWait: 1000, perMaker: 25 };

export interface NetnsRow {
  what: string;
  sockdocMs: number;
  loopMs: number;
  ratio: number;
  target: number;
}

export interface NetnsResult {
  id: "T5";
  spec: NetnsTaskSpec;
  /** Sockets made in all namespaces (each CLOSE_WAIT has its FIN_WAIT2 peer). */
  sockets: number;
  rows: NetnsRow[];
  problems: string[];
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function shellMs(command: string): { ms: number; stdout: string; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", command], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - t0, stdout: r.stdout ?? "", ok: r.status === 0 };
}

async function startMaker(spec: NetnsTaskSpec, names: string[]): Promise<ChildProcess> {
  const script = join(REPO_ROOT, "bench", "netns", "maker.py");
  const child = spawn("python3", [script, String(spec.closeWait), String(spec.timeWait), ...names], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line === "ready") return child;
  throw new Error("the namespace load maker stopped before it was ready");
}

export async function runNetnsTask(spec: NetnsTaskSpec, runs: number, prefix: string): Promise<NetnsResult> {
  const names = Array.from({ length: spec.namespaces }, (_, i) => `${prefix}-n${i}`);
  const makers: ChildProcess[] = [];
  const problems: string[] = [];
  const rows: NetnsRow[] = [];
  try {
    for (const name of names) {
      spawnSync("ip", ["netns", "add", name]);
      spawnSync("ip", ["-n", name, "link", "set", "lo", "up"]);
    }
    progress(`T5: ${names.length} namespaces made; filling them`);
    for (let i = 0; i < names.length; i += spec.perMaker) {
      makers.push(await startMaker(spec, names.slice(i, i + spec.perMaker)));
    }
    const sockets = names.length * (2 * spec.closeWait + spec.timeWait + 2);
    // The same namespaces for both sides: the host's and every named one.
    const all = spawnSync("ip", ["netns", "list"], { encoding: "utf8" })
      .stdout.split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter(Boolean);
    const loop = (ss: string) =>
      `{ ss ${ss}; for n in ${all.map(quote).join(" ")}; do ss ${ss} -N "$n"; done; }`;
    const tasks = [
      {
        what: "summary --all-netns",
        sockdoc: `${quote(SOCKDOC_PATH)} summary --all-netns --json`,
        loop: `${loop("-Htan")} | awk '{print $1}' | sort | uniq -c`,
        count: `${loop("-Htan")} | wc -l`,
        target: 0.25,
      },
      {
        what: "closewait --all-netns (owners)",
        sockdoc: `${quote(SOCKDOC_PATH)} closewait --all-netns --json`,
        loop: loop("-Htanp state close-wait"),
        count: `${loop("-Htan state close-wait")} | wc -l`,
        target: 0.3,
      },
    ];
    for (const task of tasks) {
      const warm = shellMs(task.sockdoc);
      const expected = Number(shellMs(task.count).stdout.trim());
      const doc = warm.ok ? (JSON.parse(warm.stdout) as { total: number }) : null;
      if (!doc || doc.total !== expected) {
        problems.push(`${task.what}: sockdoc counted ${doc?.total ?? "nothing"}, ss ${expected}`);
      }
      shellMs(task.loop);
      const mine: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < runs; r++) {
        // Alternating, so neither always runs on a warmer cache.
        if (r % 2 === 0) {
          mine.push(shellMs(task.sockdoc).ms);
          theirs.push(shellMs(task.loop).ms);
        } else {
          theirs.push(shellMs(task.loop).ms);
          mine.push(shellMs(task.sockdoc).ms);
        }
      }
      const sockdocMs = median(mine);
      const loopMs = median(theirs);
      rows.push({ what: task.what, sockdocMs, loopMs, ratio: sockdocMs / loopMs, target: task.target });
      progress(`T5 ${task.what}: sockdoc ${sockdocMs.toFixed(0)} ms, ss loop ${loopMs.toFixed(0)} ms`);
    }
    return { id: "T5", spec, sockets, rows, problems };
  } finally {
    for (const maker of makers) maker.kill("SIGKILL");
    for (const name of names) {
      spawnSync("ip", ["netns", "exec", name, "ss", "-K", "-tan"], { stdio: "ignore" });
      spawnSync("ip", ["netns", "del", name], { stdio: "ignore" });
    }
  }
}

/** T5's lines for the text report. */
export function netnsBlock(r: NetnsResult): string[] {
  const out = [
    `T5 every namespace: ${r.spec.namespaces} namespaces, ${r.sockets.toLocaleString("en-US")} sockets ` +
      `(${r.spec.closeWait} CLOSE_WAIT + FIN_WAIT2 peers, ${r.spec.timeWait} TIME_WAIT each), from the host`,
    `  ${"task".padEnd(32)}${"sockdoc ms".padStart(11)}${"ss loop ms".padStart(11)}${"ratio".padStart(7)}`,
  ];
  for (const row of r.rows) {
    out.push(
      `  ${row.what.padEnd(32)}${row.sockdocMs.toFixed(0).padStart(11)}${row.loopMs.toFixed(0).padStart(11)}${row.ratio.toFixed(2).padStart(7)}`,
      `    target sockdoc <= ${row.target.toFixed(2)} x the ss loop: ${row.ratio <= row.target ? "MET" : "NOT MET"} (${row.ratio.toFixed(2)})`,
    );
  }
  for (const p of r.problems) out.push(`  problem: ${p}`);
  if (r.problems.length === 0) out.push("  counts: sockdoc and the ss loop agree");
  return out;
}
