/**
 * `--input`: every reporting command on real captures made by others
 * (../shared/captures, hand-checked counts in its README), through bin/sockdoc.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdoc, sockdocBin } from "../support/run.js";

const captures = join(repoRoot, "..", "shared", "captures");
const capture = (name: string) => join(captures, name);

/** Counts from the captures' README, one file per format. */
const COUNTS: Array<{ file: string; format: string; states: Record<string, number> }> = [
  {
    file: "datadog-integrations-core__netstat_linux_all_states.txt",
    format: "netstat-linux",
    states: { ESTABLISHED: 2, SYN_SENT: 1, SYN_RECV: 1, TIME_WAIT: 3, LISTEN: 3, CLOSING: 3 },
  },
  {
    file: "jc__macos10146_netstat-An_truncated.txt",
    format: "netstat-bsd",
    states: { ESTABLISHED: 43, CLOSE_WAIT: 6 },
  },
  {
    file: "jc__windows10_netstat-aon_crlf.txt",
    format: "netstat-windows",
    states: { ESTABLISHED: 32, LISTEN: 39 },
  },
  {
    file: "insights-core__ss-tupna_timewait_estab.txt",
    format: "ss",
    states: { ESTABLISHED: 7, TIME_WAIT: 3, LISTEN: 9 },
  },
  {
    file: "shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt",
    format: "proc-net-tcp",
    states: { ESTABLISHED: 21, TIME_WAIT: 20, CLOSE_WAIT: 9, LISTEN: 10 },
  },
];

const total = (states: Record<string, number>) => Object.values(states).reduce((a, b) => a + b, 0);

describe("sockdoc --input on real captures", () => {
  for (const { file, format, states } of COUNTS) {
    it(`summary of ${format} (${file}) has the hand-checked counts`, () => {
      const r = sockdoc(["summary", "--input", capture(file), "--json"]);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        total: number;
        states: Record<string, number>;
        source: { kind: string; detail: string };
      };
      assert.deepEqual(out.states, states);
      assert.equal(out.total, total(states));
      assert.equal(out.source.kind, "capture");
      assert.match(out.source.detail, new RegExp(`\\(${format}\\)`));
    });
  }

  it("reads a capture from stdin with --input -", () => {
    const file = capture("insights-core__ss-tupna_timewait_estab.txt");
    const r = spawnSync(sockdocBin, ["summary", "--input", "-", "--json"], {
      input: readFileSync(file),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { total: number }).total, 19);
  });

  it("the default report reads stdin once, CLOSE_WAIT findings included", () => {
    const file = capture("jc__proc-net-tcp_concat_closewait.txt");
    const r = spawnSync(sockdocBin, ["--input", "-", "--json"], {
      input: readFileSync(file),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { closeWait: { total: number }; summary: { total: number } };
    assert.equal(out.closeWait.total, 1);
    assert.equal(out.summary.total, 27);
  });

  it("-p shows a capture's owners only when asked, and says when it has none", () => {
    const withUsers = capture("insights-core__ss-tupna_timewait_estab.txt");
    const plain = sockdoc(["summary", "--input", withUsers, "--json"]);
    assert.equal((JSON.parse(plain.stdout) as { topOwners: unknown }).topOwners, null);
    const asked = sockdoc(["summary", "--input", withUsers, "-p", "--json"]);
    assert.ok(((JSON.parse(asked.stdout) as { topOwners: unknown[] }).topOwners ?? []).length > 0);
    const noColumn = sockdoc([
      "summary",
      "--input",
      capture("jc__proc-net-tcp_concat_closewait.txt"),
      "-p",
      "--json",
    ]);
    assert.equal(noColumn.status, 0, noColumn.stderr);
    assert.equal((JSON.parse(noColumn.stdout) as { topOwners: unknown }).topOwners, null);
    assert.match(noColumn.stderr, /has no process column/);
  });

  it("filters a capture like the live host: states, ports and -4/-6", () => {
    const file = capture("jc__windows10_netstat-aon_crlf.txt");
    const listen = sockdoc(["ls", "--input", file, "state", "listen", "--json"]);
    assert.equal(listen.status, 0, listen.stderr);
    const sockets = JSON.parse(listen.stdout) as { sockets: Array<{ state: string; family: string }> };
    assert.equal(sockets.sockets.length, 39);
    assert.ok(sockets.sockets.every((s) => s.state === "LISTEN"));
    const v6 = sockdoc(["ls", "--input", file, "-6", "--json"]);
    const v6Sockets = (JSON.parse(v6.stdout) as { sockets: Array<{ family: string }> }).sockets;
    assert.equal(v6Sockets.length, 15);
    assert.ok(v6Sockets.every((s) => s.family === "inet6"));
  });

  it("names CLOSE_WAIT owners from an ss capture's users:(...)", () => {
    const r = sockdoc([
      "ls",
      "--input",
      capture("coreos-sosreport__ss_-peaonmi.txt"),
      "state",
      "listen",
      "--json",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const sockets = (JSON.parse(r.stdout) as { sockets: Array<{ owners: Array<{ pid: number }> | null }> })
      .sockets;
    assert.equal(sockets.length, 15);
    assert.ok(
      sockets.some((s) => (s.owners?.length ?? 0) > 0),
      "some listener has an owner",
    );
  });

  it("closewait explains a capture's CLOSE_WAIT sockets without reading this host's /proc", () => {
    const file = capture("shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt");
    const r = sockdoc(["closewait", "--input", file, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { total: number; groups: unknown[]; processes: unknown[] };
    assert.equal(out.total, 9);
    assert.ok(out.groups.length > 0);
    assert.deepEqual(out.processes, []);
  });

  it("timewait groups a capture's TIME_WAIT sockets", () => {
    const file = capture("shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt");
    const r = sockdoc(["timewait", "--input", file, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { total: number; destinations: Array<{ count: number }> };
    assert.equal(out.total, 20);
    assert.equal(
      out.destinations.reduce((n, d) => n + d.count, 0),
      20,
    );
    assert.match(r.stderr, /ip_local_port_range/, "says the capture has no port range");
  });

  it("the default report reads a capture too", () => {
    const file = capture("jc__proc-net-tcp_concat_closewait.txt");
    const r = sockdoc(["--input", file, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { summary: { states: Record<string, number> } };
    assert.deepEqual(out.summary.states, {
      ESTABLISHED: 1,
      FIN_WAIT1: 6,
      TIME_WAIT: 15,
      CLOSE_WAIT: 1,
      LISTEN: 4,
    });
  });

  it("refuses what a capture cannot do, with exit 2", () => {
    const file = capture("jc__proc-net-tcp_concat_closewait.txt");
    for (const args of [
      ["summary", "--input", file, "--source", "netlink"],
      ["ls", "--input", file, "--proc-root", "/proc"],
      ["closewait", "--input", file, "--interval", "1"],
    ]) {
      const r = sockdoc(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^sockdoc: .*--input/m);
    }
  });

  it("a file no tool printed, or no file at all, is exit 3 with one line", () => {
    for (const path of [join(repoRoot, "package.json"), join(repoRoot, "no-such-capture.txt")]) {
      const r = sockdoc(["summary", "--input", path]);
      assert.equal(r.status, 3, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^sockdoc: /);
    }
  });
});
