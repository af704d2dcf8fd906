/**
 * `sockdoc closewait --proc-root` on the fixture host: every cause without
 * live sockets (test/fixtures/proc/host1/README.md lists the rows).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdoc } from "../../support/run.js";

const root = join(repoRoot, "test", "fixtures", "proc", "host1");

interface Group {
  owner: {
    pid: number;
    comm: string;
    cmdline: string | null;
    user: string | null;
    unit: string | null;
  } | null;
  localPort: number | null;
  peerPort: number | null;
  count: number;
  recvQ: { min: number; max: number };
  cause: string;
  fds: number[];
  hint: string;
  direction: string;
  severity: string;
  listener: { backlog: number | null; acceptQueue: number; ownerPid: number | null } | null;
  growth: { samples: number; new: number; gone: number; perMinute: number | null } | null;
  remedies: Array<{ kind: string; command: string | null }>;
}

function run(...args: string[]) {
  return sockdoc(["closewait", "--proc-root", root, ...args]);
}

function json(...args: string[]) {
  const r = run("--json", ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    schema: string;
    host: { hostname: string };
    source: { kind: string };
    total: number;
    severity: string;
    sampling: { samples: number } | null;
    groups: Group[];
    processes: Array<{ pid: number; fdLimit: number | null; threads: { blocked: number } | null }>;
  };
}

function find(groups: Group[], cause: string, port: number): Group {
  const g = groups.find((x) => x.cause === cause && (x.localPort ?? x.peerPort) === port);
  assert.ok(
    g,
    `no ${cause} group on ${port}: ${JSON.stringify(groups.map((x) => [x.cause, x.localPort, x.peerPort]))}`,
  );
  return g;
}

describe("sockdoc closewait on the fixture host", () => {
  const doc = json();

  it("reads the fixture through /proc and counts its 6 CLOSE_WAIT sockets", () => {
    assert.equal(doc.schema, "sockdoc.closewait/v1");
    assert.equal(doc.host.hostname, "host1");
    assert.equal(doc.source.kind, "proc");
    assert.equal(doc.total, 6);
    assert.equal(
      doc.groups.reduce((n, g) => n + g.count, 0),
      6,
    );
  });

  it("finds java's leaked database connections: eof-not-closed, outbound to 5432", () => {
    const g = find(doc.groups, "eof-not-closed", 5432);
    assert.equal(g.direction, "outbound");
    assert.equal(g.localPort, null);
    assert.deepEqual(g.owner, {
      pid: 4242,
      comm: "java",
      cmdline: "java -Xmx512m -jar /opt/shop/shop.jar --server.port=8080",
      user: "shop",
      unit: "shop.service",
    });
    assert.equal(g.count, 2);
    assert.deepEqual(g.fds, [41, 42]);
    assert.deepEqual(g.recvQ, { min: 0, max: 0 });
    assert.match(g.hint, /connection pool/);
    assert.equal(g.remedies.find((r) => r.kind === "restart")?.command, "systemctl restart shop.service");
  });

  it("tells node's three causes apart on its ports", () => {
    const fin = find(doc.groups, "fin-unread", 3000);
    assert.deepEqual([fin.owner?.pid, fin.fds, fin.recvQ.max], [5151, [22], 1]);
    const data = find(doc.groups, "data-unread", 3000);
    assert.deepEqual([data.owner?.pid, data.fds, data.recvQ.max], [5151, [23], 5]);
    const eof = find(doc.groups, "eof-not-closed", 9000);
    assert.deepEqual([eof.owner?.pid, eof.fds, eof.direction], [5151, [24], "inbound"]);
    assert.equal(fin.owner?.user, "1002");
    assert.match(fin.owner?.unit ?? "", /^container:3f4e5a6b7c8d/);
  });

  it("shows the never-accepted connection under java's listener", () => {
    const g = find(doc.groups, "not-accepted", 8080);
    assert.equal(g.owner, null);
    assert.equal(g.count, 1);
    assert.deepEqual(g.listener && [g.listener.acceptQueue, g.listener.backlog, g.listener.ownerPid], [
      1,
      null,
      4242,
    ]);
    assert.equal(g.severity, "warning");
  });

  it("describes the owners' open-files limits and threads", () => {
    const node = doc.processes.find((p) => p.pid === 5151);
    const java = doc.processes.find((p) => p.pid === 4242);
    assert.equal(node?.fdLimit, 1024);
    assert.equal(java?.fdLimit, 4096);
    assert.equal(node?.threads?.blocked, 1);
  });

  it("applies the filter to CLOSE_WAIT sockets only", () => {
    const only = json("sport", "=", ":3000");
    assert.equal(only.total, 2);
    assert.deepEqual(only.groups.map((g) => g.cause).sort(), ["data-unread", "fin-unread"]);
  });

  it("refuses a filter that excludes CLOSE_WAIT with exit 2", () => {
    const r = run("state", "established");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /only at CLOSE_WAIT/);
  });

  it("exits 1 when --fail-on is reached and 0 below it", () => {
    assert.equal(run("--fail-on", "warning").status, 1);
    assert.equal(run("--fail-on", "info").status, 1);
    assert.equal(run("--fail-on", "critical").status, 0);
    assert.equal(run("--fail-on", "nonsense").status, 2);
  });

  it("samples repeatedly and reports no growth on a still host", () => {
    const s = json("--interval", "0.1", "--count", "3");
    assert.equal(s.sampling?.samples, 3);
    for (const g of s.groups) {
      assert.equal(g.growth?.samples, 3);
      assert.equal(g.growth?.new, 0);
      assert.equal(g.growth?.perMinute, 0);
    }
  });

  it("prints a text report that fits 80 columns and names each cause and remedy", () => {
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    const long = r.stdout.split("\n").filter((l) => l.length > 80);
    assert.deepEqual(long, []);
    for (const cause of ["eof-not-closed", "fin-unread", "data-unread", "not-accepted"]) {
      assert.ok(r.stdout.includes(cause), cause);
    }
    assert.match(r.stdout, /sockdoc kill state close-wait dport = :5432 dst 10\.0\.0\.7/);
    assert.match(r.stdout, /systemctl restart shop\.service/);
    assert.match(r.stdout, /blocked in the kernel/);
  });

  it("prints one CSV row and one ndjson line per group", () => {
    const csv = run("--format", "csv").stdout.trim().split("\n");
    assert.equal(csv.length, doc.groups.length + 1);
    assert.match(csv[0] ?? "", /^severity,pid,comm/);
    const nd = run("--format", "ndjson").stdout.trim().split("\n");
    assert.deepEqual(
      nd.map((l) => (JSON.parse(l) as Group).cause).sort(),
      doc.groups.map((g) => g.cause).sort(),
    );
  });

  it("leads the default report with the CLOSE_WAIT findings and keeps the summary", () => {
    const r = sockdoc(["--proc-root", root]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^CLOSE_WAIT: 6 sockets in 5 groups/);
    assert.match(r.stdout, /\n\s+CLOSE_WAIT\s+6\n/);
    const d = JSON.parse(sockdoc(["diagnose", "--proc-root", root, "--json"]).stdout) as {
      closeWait: { total: number; groups: Group[] };
      summary: { total: number };
    };
    assert.equal(d.closeWait.total, 6);
    assert.equal(d.closeWait.groups.length, doc.groups.length);
    assert.equal(d.summary.total, 17);
  });
});
