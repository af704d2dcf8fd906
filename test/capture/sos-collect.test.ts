/**
 * A `sos collect` archive (one sosreport archive per host inside the
 * collector's own tarball, as sos-collector packs them) gives one report per
 * host: a heading per host in text, `hosts: [each host's own document]` in
 * JSON, each the same as that host's sosreport read alone. Made here from
 * three sosreport-like folders with different sockets.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot, sockdoc } from "../support/run.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-collect-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

const HEADER = "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n";
/** Each host's ss -peaonmi: different states and counts. */
const HOSTS: Record<string, string> = {
  web1: [
    'tcp CLOSE-WAIT 0 0 10.0.0.1:8080 10.0.0.9:5000 users:(("java",pid=10,fd=5))',
    'tcp CLOSE-WAIT 1 0 10.0.0.1:8080 10.0.0.9:5001 users:(("java",pid=10,fd=6))',
    'tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:(("java",pid=10,fd=4))',
  ].join("\n"),
  web2: [
    "tcp TIME-WAIT 0 0 10.0.0.2:41000 10.0.0.7:5432",
    "tcp TIME-WAIT 0 0 10.0.0.2:41001 10.0.0.7:5432",
    "tcp TIME-WAIT 0 0 10.0.0.2:41002 10.0.0.7:5432",
    'tcp ESTAB 0 0 10.0.0.2:41003 10.0.0.7:5432 users:(("app",pid=20,fd=7))',
  ].join("\n"),
  db1: 'tcp LISTEN 0 128 0.0.0.0:5432 0.0.0.0:* users:(("postgres",pid=30,fd=3))',
};

function run(cmd: string, args: string[], cwd = work): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

const collector = join(work, "sos-collector-demo-2026");
mkdirSync(join(collector, "sos_logs"), { recursive: true });
writeFileSync(join(collector, "sos_logs", "sos.log"), "collected\n");
const folders: Record<string, string> = {};
for (const [host, rows] of Object.entries(HOSTS)) {
  const name = `sosreport-${host}-2026`;
  const dir = join(work, "hosts", name);
  cpSync(join(repoRoot, "test", "fixtures", "capture", "sosreport-min"), dir, {
    recursive: true,
    verbatimSymlinks: true,
  });
  rmSync(join(dir, "README.md"));
  writeFileSync(join(dir, "hostname"), `${host}.example.com\n`);
  writeFileSync(join(dir, "sos_commands", "networking", "ss_-peaonmi"), `${HEADER}${rows}\n`);
  folders[host] = dir;
  run("tar", ["-cJf", join(collector, `${name}.tar.xz`), "-C", join(work, "hosts"), name]);
}
run("tar", ["-cJf", "collect.tar.xz", "sos-collector-demo-2026"]);
const archive = join(work, "collect.tar.xz");
/** Name order: db1, web1, web2. */
const ORDER = ["db1", "web1", "web2"];

function jsonOf(args: string[]): Record<string, unknown> {
  const r = sockdoc([...args, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** A document without what names the input or its time. */
function bare(doc: Record<string, unknown>): Record<string, unknown> {
  const { source: _s, warnings: _w, takenAt: _t, ...rest } = doc;
  return rest;
}

describe("a sos collect archive of three hosts", () => {
  for (const command of ["summary", "closewait", "timewait"]) {
    it(`${command} --json: hosts, each as its own sosreport reads`, () => {
      const doc = jsonOf([command, "--input", archive]);
      assert.equal(doc.schema, `sockdoc.${command}/v1`);
      assert.match(
        (doc.source as { detail: string }).detail,
        /^sos collect: \S+collect\.tar\.xz \(3 hosts\)$/,
      );
      const hosts = doc.hosts as Array<Record<string, unknown>>;
      assert.deepEqual(
        hosts.map((h) => (h.host as { hostname: string }).hostname),
        ORDER.map((h) => `${h}.example.com`),
      );
      for (const [i, host] of ORDER.entries()) {
        assert.deepEqual(bare(hosts[i]!), bare(jsonOf([command, "--input", folders[host]!])), host);
      }
    });
  }

  it("each host counts its own sockets; one host alone keeps the single-host JSON", () => {
    const hosts = jsonOf(["summary", "--input", archive]).hosts as Array<{ states: Record<string, number> }>;
    assert.deepEqual(
      hosts.map((h) => h.states),
      [{ LISTEN: 1 }, { CLOSE_WAIT: 2, LISTEN: 1 }, { TIME_WAIT: 3, ESTABLISHED: 1 }],
    );
    // One host's sosreport archive keeps its single-host JSON (no hosts).
    run("tar", ["-cJf", "one.tar.xz", "-C", join(work, "hosts"), "sosreport-web1-2026"]);
    const doc = jsonOf(["summary", "--input", join(work, "one.tar.xz")]);
    assert.equal(doc.hosts, undefined);
    assert.deepEqual(doc.states, { CLOSE_WAIT: 2, LISTEN: 1 });
  });

  it("text: a heading per host, then that host's own report", () => {
    const r = sockdoc(["summary", "--input", archive]);
    assert.equal(r.status, 0, r.stderr);
    const expected = ORDER.map((host, i) => {
      const alone = sockdoc(["summary", "--input", folders[host]!]);
      return `${i > 0 ? "\n" : ""}== host ${host}.example.com (${i + 1} of 3) ==\n${alone.stdout}`;
    }).join("");
    assert.equal(r.stdout, expected);
  });

  it("the unpacked collect folder reads the same", () => {
    assert.deepEqual(
      (jsonOf(["summary", "--input", collector]).hosts as Array<Record<string, unknown>>).map(bare),
      (jsonOf(["summary", "--input", archive]).hosts as Array<Record<string, unknown>>).map(bare),
    );
  });

  it("ndjson: one line per host; CSV is refused (exit 2, one line)", () => {
    const nd = sockdoc(["summary", "--input", archive, "--format", "ndjson"]);
    assert.equal(nd.status, 0, nd.stderr);
    const lines = nd.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.equal(JSON.parse(lines[2]!).host.hostname, "web2.example.com");
    const csv = sockdoc(["summary", "--input", archive, "--format", "csv"]);
    assert.equal(csv.status, 2);
    assert.match(csv.stderr, /^sockdoc: \S+collect\.tar\.xz holds 3 hosts' reports: CSV has no place/);
    assert.equal(csv.stderr.split("\n").length, 2);
  });

  it("--fail-on: the worst host decides the exit code", () => {
    assert.equal(sockdoc(["closewait", "--input", archive, "--fail-on", "info"]).status, 1);
  });
});
