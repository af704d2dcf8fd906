/**
 * `sockdoc metrics` as an exporter: every family from a /proc fixture tree
 * (kernel counters, accept queues, CLOSE_WAIT per process with causes and
 * fds, each collector's success), the textfile mode (--output, atomic), and
 * a read that fails: a one-shot run exits 3, a server still answers with
 * collector="read" at 0.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot, sockdoc } from "../../support/run.js";
import { serveMetrics } from "../../support/metrics-server.js";
import { parsePrometheusText } from "../../support/prometheus-text.js";

const HOST1 = join(repoRoot, "test", "fixtures", "proc", "host1");

describe("sockdoc metrics of a /proc tree", () => {
  const r = sockdoc(["metrics", "-p", "--proc-root", HOST1]);
  const values = parsePrometheusText(r.stdout);

  it("exports the TcpExt counters and sockstat of the tree", () => {
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# TYPE sockdoc_tcpext_time_wait_overflow_total counter$/m);
    assert.equal(values.get("sockdoc_tcpext_time_wait_overflow_total"), 7);
    assert.equal(values.get("sockdoc_tcpext_listen_overflows_total"), 3);
    assert.equal(values.get("sockdoc_tcpext_abort_on_close_total"), 12);
    assert.equal(values.get("sockdoc_sockstat_tcp_tw"), 5);
    assert.equal(values.get("sockdoc_sockstat_tcp_inuse"), 9);
  });

  it("exports accept queues, without a backlog /proc does not know", () => {
    assert.equal(values.get('sockdoc_listen_queue_length{local_address="0.0.0.0",local_port="8080"}'), 1);
    assert.doesNotMatch(r.stdout, /^sockdoc_listen_queue_backlog\{/m);
  });

  it("exports CLOSE_WAIT per process with causes, fds and limit", () => {
    const java = 'pid="4242",comm="java"';
    assert.equal(values.get(`sockdoc_close_wait_process_sockets{${java}}`), 2);
    assert.equal(values.get(`sockdoc_close_wait_process_cause_sockets{${java},cause="not-accepted"}`), 1);
    assert.equal(values.get(`sockdoc_close_wait_process_max_fds{${java}}`), 4096);
    assert.equal(values.get(`sockdoc_close_wait_process_oldest_seen_seconds{${java}}`), 0);
    assert.equal(values.get("sockdoc_close_wait_processes_left_out"), 0);
  });

  it("reports each collector's success and build_info", () => {
    for (const c of ["read", "summary", "timewait", "listeners", "counters", "closewait"])
      assert.equal(values.get(`sockdoc_scrape_collector_success{collector="${c}"}`), 1, c);
    assert.match(r.stdout, /^sockdoc_build_info\{version="\d+\.\d+\.\d+",nodejs="v\d+[^"]*"\} 1$/m);
  });

  it("caps processes and listeners with --top and counts the rest", () => {
    const top1 = parsePrometheusText(sockdoc(["metrics", "-p", "--top", "1", "--proc-root", HOST1]).stdout);
    assert.equal(top1.get("sockdoc_close_wait_processes_left_out"), 1);
    assert.equal(top1.get("sockdoc_listeners_left_out"), 2);
    assert.equal(
      [...top1.keys()].filter((k) => k.startsWith("sockdoc_close_wait_process_sockets{")).length,
      1,
    );
  });
});

describe("sockdoc metrics --output (textfile collector)", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-textfile-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces the file by a rename and leaves no temp file", () => {
    const file = join(dir, "sockdoc.prom");
    writeFileSync(file, "old\n");
    const before = statSync(file).ino;
    const r = sockdoc(["metrics", "--proc-root", HOST1, "--output", file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.notEqual(statSync(file).ino, before, "a new file renamed over the old one");
    assert.match(readFileSync(file, "utf8"), /^sockdoc_build_info\{/m);
    assert.deepEqual(readdirSync(dir), ["sockdoc.prom"]);
  });

  it("says in one line when it cannot write, and refuses --output with --listen", () => {
    const r = sockdoc(["metrics", "--proc-root", HOST1, "--output", join(dir, "missing", "sockdoc.prom")]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^sockdoc: cannot write .*missing\/sockdoc\.prom: ENOENT\n$/);
    const both = sockdoc(["metrics", "--listen", "0", "--output", join(dir, "x.prom")]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /^sockdoc: /);
  });
});

describe("sockdoc metrics when the read fails", () => {
  const empty = mkdtempSync(join(tmpdir(), "sockdoc-noproc-"));
  after(() => rmSync(empty, { recursive: true, force: true }));
  const args = ["--source", "proc", "--proc-root", empty];

  it("exits 3 when printing once", () => {
    const r = sockdoc(["metrics", ...args]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^sockdoc: cannot read .*net\/tcp/);
  });

  it("still answers a scrape when serving, with the read collector at 0", async () => {
    const server = await serveMetrics(["127.0.0.1:0", ...args]);
    try {
      const res = await fetch(server.url);
      assert.equal(res.status, 200);
      const values = parsePrometheusText(await res.text());
      assert.equal(values.get('sockdoc_scrape_collector_success{collector="read"}'), 0);
      assert.equal(values.get('sockdoc_tcp_sockets{state="listen"}'), undefined);
    } finally {
      await server.stop();
    }
  });
});
