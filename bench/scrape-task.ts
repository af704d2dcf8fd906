/**
 * @module T4 "one scrape": node_exporter (tcpstat only), `sockdoc metrics`
 * and `sockdoc metrics -p` run as servers in the loaded namespace; the
 * runner there scrapes them over loopback. Per exporter: the wall time of
 * GET /metrics (median), the server's CPU time per scrape (utime + stime
 * around each one), how long another request waits while a scrape runs, and
 * the latency of many scrapes at once. The servers are the bench's
 * children, so its cleanup stops them at exit and on Ctrl-C.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { checkPrometheusStates } from "./checks.js";
import type { ExporterSpec, ScrapeTaskSpec } from "./commands.js";
import { TIME_WAIT_MS } from "./load/build.js";
import { guardLoad, type LoadOutcome } from "./load-guard.js";
import { type NsProcess, startInNamespace } from "./ns-process.js";
import { cpuMs } from "./proc-cpu.js";
import { progress } from "./progress.js";
import type { HttpAnswer } from "./runner/protocol.js";
import type { Session } from "./session.js";
import { median } from "./stats.js";
import { SOCKDOC_PATH, which } from "./tasks.js";

export interface ScrapeRow {
  tool: string;
  command: string;
  /** ok: served, and its warm-up scrape's per-state counts matched the counted load. */
  status: "ok" | "failed" | "skipped";
  note?: string;
  /** Wall time of each timed GET /metrics. */
  wallMs: number[];
  medianMs?: number;
  /** The server's CPU time during each timed scrape. */
  cpuMs: number[];
  cpuMsPerScrape?: number;
  bytes?: number;
  /** GET / sent while a scrape was in flight: its wall time, each time. */
  otherMs: number[];
  otherMedianMs?: number;
  /** Times the scrape had already ended before GET / was sent (not a test of waiting). */
  otherNotDuring: number;
  concurrent?: { count: number; p50Ms: number; maxMs: number; failed: number; firstError?: string };
}

export interface ScrapeResult extends LoadOutcome {
  id: string;
  title: string;
  reference: string;
  targets: ScrapeTaskSpec["targets"];
  otherRequestMs: number;
  rows: ScrapeRow[];
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const base = (e: ExporterSpec): string => `http://127.0.0.1:${e.port}`;

function argv(e: ExporterSpec): string[] {
  return e.argv.map((a) => a.replaceAll("{sockdoc}", SOCKDOC_PATH).replaceAll("{port}", String(e.port)));
}

function fail(row: ScrapeRow, note: string): void {
  row.status = "failed";
  row.note ??= note;
}

const answerProblem = (a: HttpAnswer): string | null =>
  a.status === 200 ? null : a.error !== undefined ? a.error : `HTTP ${a.status}`;

async function waitServing(session: Session, e: ExporterSpec, server: NsProcess): Promise<string | null> {
  const until = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < until) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      return `exited before serving: ${server.stderrTail().split("\n").pop() ?? ""}`;
    }
    const [answer] = (await session.runner.http({ mode: "get", url: `${base(e)}/` })).answers;
    if (answer?.status === 200) return null;
    await sleep(200);
  }
  return `not serving on ${base(e)} after ${READY_TIMEOUT_MS / 1000} s`;
}

/** The server's own pid (ip netns exec and sh exec into it); null if that chain forked. */
function serverPid(server: NsProcess): number | null {
  const pid = server.child.pid;
  if (pid === undefined) return null;
  const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  return comm === "ip" || comm === "sh" ? null : pid;
}

async function stop(server: NsProcess): Promise<void> {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export async function runScrapeTask(
  session: Session,
  spec: ScrapeTaskSpec,
  runs: number,
): Promise<ScrapeResult> {
  const { runner } = session;
  const guard = guardLoad(session, spec.id);
  const rows: ScrapeRow[] = spec.exporters.map((e) => ({
    tool: e.tool,
    command: argv(e).join(" "),
    status: "ok",
    wallMs: [],
    cpuMs: [],
    otherMs: [],
    otherNotDuring: 0,
  }));
  const servers = new Map<number, { server: NsProcess; pid: number }>();
  progress(`${spec.id} ${spec.title}: starting ${spec.exporters.length} exporters in ${session.ns}`);
  await guard.beforeRound(30_000);
  try {
    for (const [i, e] of spec.exporters.entries()) {
      const row = rows[i]!;
      const program = e.needs.replaceAll("{sockdoc}", SOCKDOC_PATH);
      if (which(program) === null) {
        row.status = "skipped";
        row.note = `${program} not found${e.installHint ? ` (apt-get install ${e.installHint})` : ""}`;
        continue;
      }
      const server = startInNamespace(session.ns, `exporter-${i}`, argv(e));
      const problem = await waitServing(session, e, server);
      const pid = problem === null ? serverPid(server) : null;
      if (problem !== null || pid === null) {
        fail(row, problem ?? "could not find the server's own pid");
        await stop(server);
        continue;
      }
      servers.set(i, { server, pid });
      // Warm-up (start-up work, caches), and the output check against the counted load.
      const [warm] = (await runner.http({ mode: "get", url: `${base(e)}/metrics`, keepBody: true })).answers;
      const warmProblem = warm === undefined ? "no answer" : answerProblem(warm);
      if (warmProblem !== null) fail(row, `warm-up scrape: ${warmProblem}`);
      else {
        row.bytes = warm!.bytes;
        const wrong = checkPrometheusStates(warm!.body ?? "", e.stateMetric, guard.countsBefore());
        if (wrong !== null) fail(row, `state counts: ${wrong}`);
      }
    }
    const live = (): number[] => [...servers.keys()].filter((i) => rows[i]!.status === "ok");

    progress(`${spec.id}: ${runs} rounds of one scrape per exporter`);
    let lastRoundMs = 30_000;
    for (let round = 0; round < runs; round++) {
      await guard.beforeRound(lastRoundMs);
      const t0 = performance.now();
      const order = live();
      for (let k = 0; k < order.length; k++) {
        const i = order[(k + round) % order.length]!;
        const { pid } = servers.get(i)!;
        const before = cpuMs(pid);
        const [answer] = (await runner.http({ mode: "get", url: `${base(spec.exporters[i]!)}/metrics` }))
          .answers;
        const cpu = cpuMs(pid) - before;
        const problem = answer === undefined ? "no answer" : answerProblem(answer);
        if (problem !== null) fail(rows[i]!, `run ${round + 1}: ${problem}`);
        else {
          rows[i]!.wallMs.push(answer!.ms);
          rows[i]!.cpuMs.push(cpu);
        }
      }
      lastRoundMs = performance.now() - t0;
    }

    progress(`${spec.id}: another request while a scrape is in flight, ${runs} times each`);
    for (let round = 0; round < runs; round++) {
      await guard.beforeRound(lastRoundMs);
      for (const i of live()) {
        const url = base(spec.exporters[i]!);
        const [scrape, other] = (
          await runner.http({ mode: "during", url: `${url}/metrics`, otherUrl: `${url}/` })
        ).answers;
        const problem = other === undefined ? "no answer" : answerProblem(other);
        if (problem !== null || scrape === undefined) {
          fail(rows[i]!, `GET / during a scrape: ${problem ?? "no answer"}`);
          continue;
        }
        rows[i]!.otherMs.push(other!.ms);
        if (scrape.endMs <= other!.endMs - other!.ms) rows[i]!.otherNotDuring++;
      }
    }

    progress(`${spec.id}: ${spec.concurrent} concurrent scrapes per exporter`);
    for (const i of live()) {
      const row = rows[i]!;
      // A burst's length is hard to guess (node_exporter queues what passes its
      // 40 requests in flight): TIME_WAIT is re-made before each, so that the
      // burst has the whole 60 s window.
      await guard.beforeRound(TIME_WAIT_MS);
      const { answers } = await runner.http({
        mode: "concurrent",
        url: `${base(spec.exporters[i]!)}/metrics`,
        count: spec.concurrent,
      });
      const ok = answers.filter((a) => a.status === 200).map((a) => a.ms);
      const firstError = answers.map(answerProblem).find((p) => p !== null);
      row.concurrent = {
        count: answers.length,
        p50Ms: median(answers.map((a) => a.ms)),
        maxMs: Math.max(...answers.map((a) => a.ms)),
        failed: answers.length - ok.length,
        ...(firstError ? { firstError } : {}),
      };
    }
  } finally {
    for (const { server } of servers.values()) await stop(server);
  }
  for (const row of rows) {
    if (row.wallMs.length > 0) row.medianMs = median(row.wallMs);
    if (row.cpuMs.length > 0) row.cpuMsPerScrape = row.cpuMs.reduce((a, b) => a + b, 0) / row.cpuMs.length;
    if (row.otherMs.length > 0) row.otherMedianMs = median(row.otherMs);
  }
  return {
    id: spec.id,
    title: spec.title,
    reference: spec.reference,
    targets: spec.targets,
    otherRequestMs: spec.otherRequestMs,
    rows,
    ...(await guard.finish()),
  };
}
