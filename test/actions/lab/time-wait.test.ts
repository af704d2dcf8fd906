/**
 * Live (root): `sockdoc lab time-wait` churns 200 connections a second in a
 * namespace of its own whose port range is 2,000 ports, so connect() fails
 * with EADDRNOTAVAIL at about 10 s; `sockdoc timewait --netns` run 3 s into
 * the churn forecasts that moment within 25%. The namespace is gone after
 * the lab ends, and after Ctrl-C; without root the lab refuses (exit 4).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type StartedLab, startJsonLab } from "../../support/lab.js";
import { isRoot, sockdoc, sockdocBin } from "../../support/run.js";

interface Ready {
  event: string;
  netns: string;
  server: string;
  startedAt: string;
}

interface Done {
  event: string;
  reason: string;
  made: number | null;
  exhaustedAt: string | null;
  exhaustedAfterSec: number | null;
  madeAtExhaustion: number | null;
}

interface Destination {
  remote: { address: string; port: number };
  direction: string;
  ratePerSec: number;
  exhaustedInSec: number | null;
}

const hasIp = spawnSync("ip", ["-V"]).status === 0;
const skip = !isRoot
  ? "needs root: the lab makes a network namespace"
  : !hasIp
    ? "needs ip (iproute2)"
    : false;

const started: ChildProcess[] = [];
after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function netnsList(): string {
  return spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout;
}

function startLab(args: string[]): Promise<StartedLab<Ready>> {
  return startJsonLab<Ready>("time-wait", args, started);
}

describe("sockdoc lab time-wait", { skip }, () => {
  it("timewait's forecast made 3 s into the churn is within 25% of the moment connect() failed", async () => {
    const lab = await startLab(["--rate", "200", "--duration", "20", "--ports", "40000-41999"]);
    const exited = once(lab.child, "exit");
    assert.match(lab.ready.netns, /^sockdoc-lab-tw-\d+$/);
    assert.ok(netnsList().includes(lab.ready.netns));
    const start = Date.parse(lab.ready.startedAt);
    await sleep(Math.max(0, start + 3000 - Date.now()));
    const tw = sockdoc(["timewait", "--netns", lab.ready.netns, "--json"]);
    assert.equal(tw.status, 0, tw.stderr);
    const doc = JSON.parse(tw.stdout) as {
      takenAt: string;
      namespaces: Array<{ destinations: Destination[] }>;
    };
    const port = Number(lab.ready.server.split(":")[1]);
    const d = doc.namespaces[0]!.destinations.find(
      (x) => x.remote.port === port && x.direction === "outgoing",
    );
    assert.ok(d, tw.stdout);
    assert.ok(d.exhaustedInSec !== null && d.exhaustedInSec > 0, JSON.stringify(d));
    const [code] = (await Promise.race([exited, sleep(30_000).then(() => ["timeout"])])) as [unknown];
    assert.equal(code, 0, "the lab ends by itself within 30 s, exit 0");
    const done = JSON.parse(lab.lines[lab.lines.length - 1]!) as Done;
    assert.equal(done.event, "done");
    assert.equal(done.reason, "duration reached");
    assert.ok(done.exhaustedAt !== null, "connect() failed with EADDRNOTAVAIL");
    assert.ok(Math.abs(done.madeAtExhaustion! - 2000) <= 5, `made ${done.madeAtExhaustion} before it failed`);
    const takenAt = Date.parse(doc.takenAt);
    const forecast = takenAt + d.exhaustedInSec * 1000;
    const actual = Date.parse(done.exhaustedAt);
    const off = Math.abs(forecast - actual) / (actual - takenAt);
    assert.ok(
      off <= 0.25,
      `forecast ${d.exhaustedInSec} s at ${d.ratePerSec}/s from ${doc.takenAt}; connect() failed ` +
        `${(actual - takenAt) / 1000} s after it: ${Math.round(off * 100)}% off`,
    );
    assert.ok(!netnsList().includes(lab.ready.netns), "the lab's namespace is removed");
  });

  it("Ctrl-C ends the churn, removes the namespace, exits 0", async () => {
    const lab = await startLab(["--rate", "50", "--duration", "20"]);
    const exited = once(lab.child, "exit");
    await sleep(1500);
    lab.child.kill("SIGINT");
    const [code] = (await Promise.race([exited, sleep(10_000).then(() => ["timeout"])])) as [unknown];
    assert.equal(code, 0);
    const done = JSON.parse(lab.lines[lab.lines.length - 1]!) as Done;
    assert.equal(done.reason, "interrupted");
    assert.ok(!netnsList().includes(lab.ready.netns));
  });

  it("refuses without root (exit 4) and bad flags (exit 2), one line each", () => {
    const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
    if (setpriv) {
      const r = spawnSync(
        setpriv,
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          sockdocBin,
          "lab",
          "time-wait",
          "--rate",
          "10",
          "--duration",
          "1",
        ],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 4, r.stderr);
      assert.match(r.stderr, /^sockdoc: lab time-wait makes a network namespace of its own .* needs root/);
      assert.equal(r.stderr.split("\n").length, 2);
    }
    for (const [args, why] of [
      [["--rate", "0", "--duration", "1"], /--rate wants/],
      [["--rate", "10", "--duration", "1", "--ports", "41999-40000"], /--ports wants LO-HI/],
      [["--rate", "10", "--duration", "0"], /--duration wants/],
    ] as Array<[string[], RegExp]>) {
      const r = sockdoc(["lab", "time-wait", ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, why);
    }
  });
});
