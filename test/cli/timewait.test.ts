/**
 * `sockdoc timewait --proc-root` on the fixture host (its README lists the
 * five TIME_WAIT rows and the sysctls: range 32768-60999, tcp_tw_reuse 2).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdoc } from "../support/run.js";

const root = join(repoRoot, "test", "fixtures", "proc", "host1");

interface Dest {
  local: { address: string; port: number | null };
  remote: { address: string; port: number | null };
  direction: string;
  count: number;
  remainingMs: { min: number | null; max: number | null };
  portsInUse: number | null;
  portsLeft: number | null;
  ratePerSec: number | null;
  exhaustedInSec: number | null;
  reuse: boolean;
  severity: string;
  note: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return sockdoc(["timewait", "--proc-root", root, ...args], { env });
}

function json(...args: string[]) {
  const r = run(["--json", ...args]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    schema: string;
    host: { hostname: string };
    source: { kind: string };
    warnings: string[];
    total: number;
    outgoing: number;
    incoming: number;
    settings: {
      portRange: number[];
      reservedPorts: number;
      twReuse: number;
      maxTwBuckets: number;
      budget: number;
    };
    buckets: { used: number };
    destinations: Dest[];
  };
}

const key = (d: Dest) =>
  `${d.direction} ${d.local.address}:${d.local.port ?? "*"} ${d.remote.address}:${d.remote.port ?? "*"}`;

describe("sockdoc timewait on the fixture host", () => {
  it("groups the five TIME_WAIT rows into four destinations", () => {
    const doc = json();
    assert.equal(doc.schema, "sockdoc.timewait/v1");
    assert.equal(doc.host.hostname, "host1");
    assert.equal(doc.source.kind, "proc");
    assert.deepEqual(doc.warnings, []);
    assert.equal(doc.total, 5);
    assert.equal(doc.outgoing, 4);
    assert.equal(doc.incoming, 1);
    assert.deepEqual(doc.settings.portRange, [32768, 60999]);
    assert.equal(doc.settings.reservedPorts, 0);
    assert.equal(doc.settings.twReuse, 2);
    assert.equal(doc.settings.maxTwBuckets, 262144);
    assert.equal(doc.settings.budget, 28232);
    assert.equal(doc.buckets.used, 5);
    assert.deepEqual(doc.destinations.map(key), [
      "outgoing 10.0.0.5:* 10.0.0.7:5432",
      "outgoing ::1:* ::1:9000",
      "outgoing 2001:db8::5:* 2001:db8:0:1::7:443",
      "incoming 10.0.0.5:8080 10.0.0.9:*",
    ]);
  });

  it("counts the open and CLOSE_WAIT connections to the database as ports in use", () => {
    const db = json().destinations[0]!;
    assert.equal(db.count, 2);
    // 2 TIME_WAIT + 1 ESTABLISHED (43210) + 2 CLOSE_WAIT (43300, 43302)
    assert.equal(db.portsInUse, 5);
    assert.equal(db.portsLeft, 28227);
    assert.deepEqual(db.remainingMs, { min: 30000, max: 60000 });
    // One socket (60 s left) closed within the last 10 s.
    assert.equal(db.ratePerSec, 0.1);
    assert.equal(db.exhaustedInSec, null);
    assert.match(db.note, /not on this course/);
  });

  it("knows tcp_tw_reuse 2 covers ::1 but not 2001:db8::7", () => {
    const [, loop, v6] = json().destinations;
    assert.equal(loop!.reuse, true);
    assert.match(loop!.note, /loopback/);
    assert.equal(v6!.reuse, false);
  });

  it("applies the filter to the TIME_WAIT sockets only", () => {
    const doc = json("dport", "=", ":5432");
    assert.equal(doc.total, 2);
    assert.equal(doc.destinations.length, 1);
    assert.equal(doc.destinations[0]!.portsInUse, 5);
    assert.equal(doc.buckets.used, 5);
    assert.equal(json("-4").total, 3);
    assert.equal(json("-6").total, 2);
  });

  it("prints a table that fits 80 columns, with the header facts", () => {
    const r = run([], { COLUMNS: "80" });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`);
    assert.match(lines[0]!, /^TIME_WAIT 5 to 4 destinations: 4 out, 1 in; rates over 10 s$/);
    assert.match(r.stdout, /Ports 32768-60999: 28232 usable/);
    assert.match(r.stdout, /tcp_tw_reuse 2 \(loopback only\); tcp_max_tw_buckets 262144, 5 used/);
    assert.match(r.stdout, /10\.0\.0\.5 -> 10\.0\.0\.7:5432 +out +2 +30-60 +28227/);
    assert.match(r.stdout, /10\.0\.0\.5:8080 <- 10\.0\.0\.9 +in +1/);
  });

  it("--top limits the table and the JSON; --all shows every destination", () => {
    const top = run(["--top", "1"], { COLUMNS: "80" });
    assert.match(top.stdout, /\(3 more destinations; --all lists them\)/);
    assert.doesNotMatch(top.stdout, /::1/);
    assert.equal(json("--top", "2").destinations.length, 2);
    assert.doesNotMatch(run(["--top", "1", "--all"]).stdout, /more destinations/);
  });

  it("writes csv and ndjson rows", () => {
    const csv = run(["--format", "csv"]).stdout.trimEnd().split("\n");
    assert.equal(csv.length, 5);
    assert.match(csv[0]!, /^direction,local_address,local_port,remote_address,remote_port,count/);
    assert.match(csv[1]!, /^outgoing,10\.0\.0\.5,,10\.0\.0\.7,5432,2,30000,60000,5,28227,/);
    const nd = run(["--format", "ndjson"]).stdout.trimEnd().split("\n");
    assert.equal(nd.length, 4);
    assert.equal((JSON.parse(nd[3]!) as Dest).direction, "incoming");
  });

  it("--fail-on exits 1 only at or above the severity", () => {
    assert.equal(run(["--fail-on", "warning"]).status, 0);
    assert.equal(run(["--fail-on", "info"]).status, 1);
  });

  it("rejects bad input with exit 2 and one line", () => {
    for (const args of [
      ["exclude", "time-wait"],
      ["--window", "0"],
      ["--window", "61"],
      ["--top", "x"],
    ]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^sockdoc: /);
    }
  });

  it("documents the facts in --help", () => {
    const help = sockdoc(["timewait", "--help"]).stdout;
    for (const fact of [
      /60 s \(TCP_TIMEWAIT_LEN/,
      /tcp_fin_timeout is NOT this length/,
      /28232 \/ 60 = 470\/s/,
      /removed in Linux 4\.12/,
      /2 loopback only \(the default since\s+4\.18\)/,
      /ip_local_reserved_ports/,
      /tcp_max_tw_buckets/,
      /critical +outgoing/,
    ]) {
      assert.match(help, fact);
    }
  });
});
