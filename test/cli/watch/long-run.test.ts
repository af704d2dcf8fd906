/**
 * `sockdoc watch` for days, compressed (root, a namespace of the test's
 * own with a lab leak, not-accepted: no fd walk, so a sample is quick):
 * 300 samples at 100 ms (the shortest --interval) with the dashboard on. Its
 * memory after each round (from the live stream) stays flat: the lowest
 * heap and RSS of the last stretch are within a small bound of those of an
 * early stretch, not growing per sample. Samples never overlap: each starts
 * at least an interval after the one before. SIGTERM then ends it cleanly:
 * exit 0, the live stream ended, the port closed, and every sample the
 * stream announced is in the db.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createNetns, isRoot, repoRoot, startLab } from "../../support/run.js";

const SAMPLES = 300;
const INTERVAL_MS = 100;

interface Round {
  sample: number;
  at: string;
  watcher: { rssBytes: number; heapUsedBytes: number };
}

describe("watch over many samples", { skip: isRoot ? false : "needs root to make a namespace" }, () => {
  let ns: ReturnType<typeof createNetns>;
  let dir = "";
  let lab: ChildProcess | null = null;
  let watcher: ChildProcess | null = null;
  before(async () => {
    ns = createNetns("longrun");
    dir = mkdtempSync(join(tmpdir(), "sockdoc-longrun-"));
    ({ child: lab } = await startLab(ns.name, [
      "--cause",
      "not-accepted",
      "--count",
      "20",
      "--duration",
      "120",
    ]));
  });
  after(() => {
    lab?.kill("SIGINT");
    if (watcher?.exitCode === null) watcher.kill("SIGKILL");
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps memory flat, never overlaps samples, and ends cleanly on SIGTERM", async () => {
    const db = join(dir, "h.db");
    // The bundle bin/sockdoc runs, under --gc-global: every collection a full one, so the heap
    // after a round is what the watcher keeps (without it, garbage promoted to the old space
    // piles up for hundreds of samples before a major collection takes it: a sawtooth).
    watcher = spawn(
      process.execPath,
      ["--gc-global", join(repoRoot, "dist", "sockdoc.cjs"), "watch", "--db", db, "--netns", ns.name].concat([
        "--interval",
        String(INTERVAL_MS / 1000),
        "--listen",
        "127.0.0.1:0",
      ]),
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    watcher.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => watcher!.once("exit", (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: watcher!.stderr! }).on("line", (line) => {
        const m = /serving the dashboard on (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`watch exited: ${stderr}`)));
    });
    const port = Number(new URL(base).port);

    // Every round as the live stream announces it.
    const rounds: Round[] = [];
    const stream = await fetch(`${base}/api/stream`);
    const reader = stream.body!.getReader();
    let text = "";
    let streamEnded = false;
    while (rounds.length === 0 || rounds.at(-1)!.sample < SAMPLES) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
      let end: number;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const data = /^data: (.*)$/m.exec(text.slice(0, end))?.[1];
        text = text.slice(end + 2);
        if (data) rounds.push(JSON.parse(data) as Round);
      }
    }
    const reading = (async () => {
      for (;;) if ((await reader.read()).done) return (streamEnded = true);
    })();

    watcher.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10_000))]);
    assert.equal(code, 0, `exit ${String(code)}: ${stderr}`);
    assert.doesNotMatch(stderr, /Error|at .*\.js:\d+/, "no stack trace");
    await Promise.race([reading, new Promise((r) => setTimeout(r, 2000))]);
    assert.ok(streamEnded, "the live stream ended with the watcher");
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(false)));
      s.once("error", () => resolve(true));
    });
    assert.ok(refused, "the port is closed");

    // Every announced sample was written (and committed) before the exit.
    const file = new Database(db, { readonly: true });
    const stored = (file.prepare("SELECT count(*) AS n FROM samples").get() as { n: number }).n;
    const times = file.prepare("SELECT at FROM samples ORDER BY at").pluck().all() as number[];
    file.close();
    const last = rounds.at(-1)!.sample;
    assert.ok(stored >= last, `${stored} samples stored, ${last} announced`);

    // Never overlapping: each sample starts at least an interval after the one before it began
    // (the next starts an interval after one ends).
    for (let i = 1; i < times.length; i++)
      assert.ok(
        times[i]! - times[i - 1]! >= INTERVAL_MS,
        `samples ${i} and ${i + 1} ${times[i]! - times[i - 1]!} ms apart`,
      );

    // Flat: the floor (lowest value) of heap and RSS over samples 50-100 against samples 250-300.
    // Measured here: the heap floor grows about 0.3 MB over those 200 (code the JIT compiles), so
    // a leak of 10 kB a sample (2 MB) fails. RSS (malloc arenas, SQLite's cache and WAL) moves
    // more and levels off around 80-95 MB: a coarse guard of 32 MB.
    const floor = (from: number, to: number, pick: (r: Round) => number) =>
      Math.min(...rounds.filter((r) => r.sample > from && r.sample <= to).map(pick));
    const heapEarly = floor(50, 100, (r) => r.watcher.heapUsedBytes);
    const heapLate = floor(SAMPLES - 50, SAMPLES, (r) => r.watcher.heapUsedBytes);
    const rssEarly = floor(50, 100, (r) => r.watcher.rssBytes);
    const rssLate = floor(SAMPLES - 50, SAMPLES, (r) => r.watcher.rssBytes);
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    console.log(
      `# heap floor ${mb(heapEarly)} -> ${mb(heapLate)}, RSS floor ${mb(rssEarly)} -> ${mb(rssLate)} over ${SAMPLES} samples`,
    );
    assert.ok(heapLate - heapEarly < 2 * 1048576, `heap grew ${mb(heapLate - heapEarly)} in 200 samples`);
    assert.ok(rssLate - rssEarly < 32 * 1048576, `RSS grew ${mb(rssLate - rssEarly)} in 200 samples`);
  });
});
