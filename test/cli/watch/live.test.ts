/**
 * `sockdoc watch` then `sockdoc history` on a real leak (root): a lab server
 * leaking CLOSE_WAIT in a namespace this test makes, started under a running
 * watcher. History shows the group with the right owner, a first sight
 * within one interval of the leak's start, its peak and the leak-start
 * event; a restarted watcher keeps the first sight.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createNetns, isRoot, type LabReady, sockdoc, sockdocBin, startLab } from "../../support/run.js";

interface HistoryDoc {
  schema: string;
  from: string;
  to: string;
  closeWait: Array<{
    netns: string | null;
    owner: { pid: number; comm: string; cmdline: string | null; unit: string | null };
    localPort: number | null;
    cause: string;
    firstSeen: string;
    lastSeen: string;
    peak: number;
    last: number;
    now: number;
  }>;
  timeWait: unknown[];
  events: Array<{ time: string; kind: string; text: string }>;
}

const INTERVAL_MS = 500;

describe(
  "watch and history on a live leak",
  { skip: isRoot ? false : "needs root to make a namespace" },
  () => {
    let ns: ReturnType<typeof createNetns>;
    let dir = "";
    let lab: ChildProcess | null = null;
    before(() => {
      ns = createNetns("watch");
      dir = mkdtempSync(join(tmpdir(), "sockdoc-watch-"));
    });
    after(() => {
      lab?.kill("SIGINT");
      ns.remove();
      rmSync(dir, { recursive: true, force: true });
    });

    function watch(db: string, count: number): Promise<{ status: number | null; stderr: string }> {
      const child = spawn(
        sockdocBin,
        [
          "watch",
          "--db",
          db,
          "--netns",
          ns.name,
          "--count",
          String(count),
          "--interval",
          String(INTERVAL_MS / 1000),
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      return new Promise((resolve) => child.once("exit", (status) => resolve({ status, stderr })));
    }

    function history(db: string, ...args: string[]): HistoryDoc {
      const r = sockdoc(["history", "--db", db, "--json", ...args]);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as HistoryDoc;
    }

    it("shows the leak's owner, first sight, peak and events, and a restart keeps the first sight", async () => {
      const db = join(dir, "h.db");
      const watching = watch(db, 8);
      // Let the watcher take a sample or two of the empty namespace first.
      await new Promise((r) => setTimeout(r, 1500));
      const leakStart = Date.now();
      let ready: LabReady;
      ({ child: lab, ready } = await startLab(
        ns.name,
        ["--cause", "eof-not-closed", "--count", "3"].concat(["--every", "0.5", "--duration", "60"]),
      ));
      const readyAt = Date.now();
      const first = await watching;
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stderr, new RegExp(`leak-start: node \\(pid ${ready.serverPid}\\)`));

      const doc = history(db);
      assert.equal(doc.schema, "sockdoc.history/v1");
      const g = doc.closeWait.find((x) => x.owner.pid === ready.serverPid);
      assert.ok(g, JSON.stringify(doc.closeWait));
      assert.equal(g.netns, ns.name);
      assert.equal(g.owner.comm, "node");
      assert.match(g.owner.cmdline ?? "", /node-server\.js eof-not-closed/);
      assert.equal(g.localPort, ready.port);
      assert.equal(g.cause, "eof-not-closed");
      const firstSeen = Date.parse(g.firstSeen);
      // The first sample after the first leaked socket: within one interval (and one read) of it.
      assert.ok(firstSeen >= leakStart, `${g.firstSeen} before the leak began`);
      assert.ok(firstSeen <= readyAt + INTERVAL_MS + 1000, `${g.firstSeen} long after the leak began`);
      // Growing by one every 0.5 s: the peak is above the starting count and is the latest count.
      assert.ok(g.peak > 3, `peak ${g.peak}`);
      assert.equal(g.peak, g.last);
      assert.equal(g.now, g.last);
      const started = doc.events.filter(
        (e) => e.kind === "leak-start" && e.text.includes(`pid ${ready.serverPid}`),
      );
      assert.equal(started.length, 1, JSON.stringify(doc.events));
      assert.equal(started[0]!.time, g.firstSeen);

      // A new watcher on the same file: the sockets still there keep their first sight.
      const second = await watch(db, 2);
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stderr, /leak-start/, "no second leak-start after a restart");
      const again = history(db).closeWait.find((x) => x.owner.pid === ready.serverPid);
      assert.ok(again);
      assert.equal(again.firstSeen, g.firstSeen);
      assert.ok(Date.parse(again.lastSeen) > Date.parse(g.lastSeen));
      assert.ok(again.peak >= g.peak);
      // The restarted watcher's own rows carry the resumed first sight, not its start time.
      const file = new Database(db, { readonly: true });
      const resumed = file
        .prepare(
          `SELECT c.first_seen AS firstSeen FROM close_wait c JOIN samples s ON s.id = c.sample_id
         JOIN close_wait_groups g ON g.id = c.group_id WHERE g.pid = ? ORDER BY s.at DESC LIMIT 1`,
        )
        .get(ready.serverPid) as { firstSeen: number };
      file.close();
      assert.equal(new Date(resumed.firstSeen).toISOString(), g.firstSeen);

      // The filter narrows by port; CSV and the table say the same.
      assert.equal(history(db, "port", String(ready.port + 1)).closeWait.length, 0);
      assert.equal(history(db, "port", String(ready.port)).closeWait.length, 1);
      const csv = sockdoc(["history", "--db", db, "--format", "csv"]);
      assert.equal(csv.status, 0, csv.stderr);
      assert.match(csv.stdout, new RegExp(`^closewait,${ns.name},,${ready.serverPid},node,`, "m"));
      const table = sockdoc(["history", "--db", db]);
      assert.equal(table.status, 0, table.stderr);
      assert.match(
        table.stdout,
        new RegExp(`${ready.serverPid}\\s+node\\s+:${ready.port}\\s+eof-not-closed`),
      );
      for (const line of table.stdout.split("\n")) assert.ok(line.length <= 80, `wider than 80: ${line}`);
      assert.ok(statSync(db).size > 0);
    });
  },
);
