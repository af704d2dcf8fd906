/**
 * @module The bench's hands inside the namespace: it runs the timed commands
 * (so that no `ip netns exec` set-up is inside a measurement), drains their
 * output through a pipe, counts sockets by state, and times HTTP requests to
 * the exporters the bench started there. Requests come on stdin,
 * answers go to stdout; it exits, killing its current command, when stdin
 * closes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { countProcNetTcp, parseSockstat } from "../load/counts.js";
import { httpConcurrent, httpDuring, httpGet } from "./http-probe.js";
import {
  type CountResult,
  GNU_TIME,
  type HttpResult,
  type RunnerRequest,
  type RunnerResponse,
  type RunResult,
} from "./protocol.js";

const STDERR_KEEP = 2000;
const NEWLINE = 10;
// GNU time writes %M here; removed after each read, so a kill leaves nothing.
const rssFile = join(tmpdir(), `sockdoc-bench-rss-${process.pid}`);
let current: ChildProcess | null = null;

function answer(response: RunnerResponse): void {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

function run(shell: string, rss: boolean, capture: boolean): Promise<RunResult> {
  rmSync(rssFile, { force: true });
  const useTime = rss && existsSync(GNU_TIME);
  const [file, args] = useTime
    ? [GNU_TIME, ["-f", "%M", "-o", rssFile, "sh", "-c", shell]]
    : ["sh", ["-c", shell]];
  return new Promise((resolve) => {
    let bytes = 0;
    let lines = 0;
    let stderr = "";
    const chunks: Buffer[] = [];
    const t0 = process.hrtime.bigint();
    // Its own process group, so that shutdown can kill a whole pipeline.
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    current = child;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      if (capture) chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString("utf8").slice(0, STDERR_KEEP);
    });
    child.on("error", (err) => {
      stderr += err.message;
    });
    child.on("close", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      current = null;
      const result: RunResult = { ms, code, signal, bytes, lines, stderr };
      if (useTime && existsSync(rssFile)) {
        // GNU time puts "Command exited with non-zero status N" before %M.
        const last = readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "";
        if (/^\d+$/.test(last)) result.rssKb = Number(last);
        rmSync(rssFile, { force: true });
      }
      if (capture) result.stdout = Buffer.concat(chunks).toString("utf8");
      resolve(result);
    });
  });
}

function count(): CountResult {
  const states = countProcNetTcp(readFileSync("/proc/net/tcp", "latin1"));
  countProcNetTcp(readFileSync("/proc/net/tcp6", "latin1"), states);
  return { states, sockstat: parseSockstat(readFileSync("/proc/net/sockstat", "latin1")) };
}

/** Milliseconds between the scrape and the other request in "during". */
const DURING_DELAY_MS = 5;

async function http(request: Extract<RunnerRequest, { op: "http" }>): Promise<HttpResult> {
  if (request.mode === "during")
    return httpDuring(request.url, request.otherUrl ?? request.url, DURING_DELAY_MS);
  if (request.mode === "concurrent") return httpConcurrent(request.url, request.count ?? 1);
  return { answers: [await httpGet(request.url, request.keepBody === true)] };
}

async function handle(request: RunnerRequest): Promise<RunnerResponse> {
  try {
    if (request.op === "count") return { id: request.id, op: "count", ...count() };
    if (request.op === "http") return { id: request.id, op: "http", ...(await http(request)) };
    const result = await run(request.shell, request.rss === true, request.capture === true);
    return { id: request.id, op: "run", ...result };
  } catch (err) {
    return { id: request.id, op: "error", message: err instanceof Error ? err.message : String(err) };
  }
}

function shutdown(): void {
  if (current?.pid !== undefined) {
    try {
      process.kill(-current.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(rssFile, { force: true });
  process.exit(0);
}

process.stdout.on("error", shutdown);
process.on("SIGTERM", shutdown);
// One request at a time: the bench waits for each answer, and a queue keeps
// a second command from ever overlapping a measurement.
let queue = Promise.resolve();
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  const request = JSON.parse(line) as RunnerRequest;
  queue = queue.then(async () => answer(await handle(request)));
});
// stdin closes when the bench is done or gone: stop at once either way.
input.on("close", shutdown);
