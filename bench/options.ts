/**
 * @module The bench's command line (pure): flags to options, with the
 * defaults of the issue (100k TIME_WAIT, 50k CLOSE_WAIT, 20k ESTABLISHED
 * pairs; T1 scaling at 50k, 100k, 200k sockets).
 */
import { parseArgs } from "node:util";
import { UsageError } from "../src/model/errors.js";
import type { Mix } from "./load/plan.js";

export interface BenchOptions {
  mix: Mix;
  /** Socket totals for the T1 scaling; empty to skip it. */
  sizes: number[];
  runs: number;
  json: boolean;
  keep: boolean;
  /** Only the peak-RSS table: no T1-T3 timing, no scaling. */
  memoryOnly: boolean;
  quick: boolean;
  /** Task ids to run (T1..T5), in the order given by the bench. */
  tasks: string[];
  help: boolean;
}

export const DEFAULT_MIX: Mix = { tw: 100_000, cw: 50_000, estab: 20_000 };
export const TASK_IDS = ["T1", "T2", "T3", "T4", "T5", "T6"];
export const DEFAULT_SIZES = [50_000, 100_000, 200_000];
const QUICK_FACTOR = 10;

export const USAGE = `usage: npm run bench -- [options]   (as root)

Times sockdoc against ss, netstat and lsof on a load built in a network
namespace of its own (TIME_WAIT, CLOSE_WAIT held by several processes with
their FIN_WAIT_2 orphans, ESTABLISHED pairs), measures the peak RSS of every
sockdoc command on it (kill --yes last: it closes the CLOSE_WAIT sockets),
then removes it.

  --runs N        timed runs of each command, alternating (default 5)
  --tw N          TIME_WAIT sockets (default 100000)
  --cw N          CLOSE_WAIT sockets (default 50000)
  --estab N       ESTABLISHED pairs (default 20000)
  --sizes A,B,C   socket totals for the T1 scaling (default 50000,100000,200000;
                  "none" skips it)
  --tasks LIST    the tasks to run (default T1,T2,T3,T4,T5,T6; T4 scrapes exporters,
                  T5 reads 100 namespaces from the host after the main load,
                  T6 measures sockdoc trace's CPU under 20,000 connections/s)
  --quick         a 10x smaller load and sizes, for a smoke test
  --json          print the results as JSON on stdout
  --keep          leave the namespace and its workers for inspection
                  (the peak-RSS table then skips kill --yes, which closes sockets)
  --memory-only   only the peak-RSS table of every command (no T1-T3, no scaling)
  -h, --help      this text`;

function count(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} wants a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function taskList(raw: string | undefined): string[] {
  if (raw === undefined) return TASK_IDS;
  const wanted = raw.split(",").map((t) => t.trim().toUpperCase());
  const unknown = wanted.filter((t) => !TASK_IDS.includes(t));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new UsageError(`--tasks wants some of ${TASK_IDS.join(",")}, got "${raw}"`);
  }
  return TASK_IDS.filter((t) => wanted.includes(t));
}

function sizes(raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  if (raw === "none" || raw === "") return [];
  const list = raw.split(",").map((s) => count("sizes", s.trim(), 0, 1000, 2_000_000));
  return [...new Set(list)].sort((a, b) => a - b);
}

export function parseOptions(argv: string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const quick = v.quick === true;
  const shrink = (n: number): number => (quick ? Math.round(n / QUICK_FACTOR) : n);
  return {
    mix: {
      tw: count("tw", v.tw, shrink(DEFAULT_MIX.tw), 0, 2_000_000),
      cw: count("cw", v.cw, shrink(DEFAULT_MIX.cw), 0, 500_000),
      estab: count("estab", v.estab, shrink(DEFAULT_MIX.estab), 0, 500_000),
    },
    sizes: sizes(v.sizes, DEFAULT_SIZES.map(shrink)),
    runs: count("runs", v.runs, 5, 1, 100),
    json: v.json === true,
    keep: v.keep === true,
    memoryOnly: v["memory-only"] === true,
    quick,
    tasks: taskList(v.tasks),
    help: v.help === true,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: "string" },
      tw: { type: "string" },
      cw: { type: "string" },
      estab: { type: "string" },
      sizes: { type: "string" },
      tasks: { type: "string" },
      quick: { type: "boolean" },
      json: { type: "boolean" },
      keep: { type: "boolean" },
      "memory-only": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
