/**
 * The config lint: on the hand-made tree test/fixtures/tune/legacy (every
 * kind of finding, with its file and line) and debian (none), and on small
 * made-up inputs for the cases between.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { lintConfig } from "../../../src/analysis/advisor/lint/index.js";
import type { LintInput } from "../../../src/analysis/advisor/lint/types.js";
import { gatherLint } from "../../../src/cli/tune/lint-input.js";
import { InputError } from "../../../src/model/errors.js";
import { parseSysctlConf } from "../../../src/sources/sysctl-conf-parse.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const fixtures = join(repoRoot, "test", "fixtures", "tune");

function lintFixture(name: string) {
  const root = join(fixtures, name);
  const { input, warnings } = gatherLint(root);
  const findings = lintConfig(input).findings.map((f) => ({
    at: `${f.file.slice(root.length + 1)}${f.line === null ? "" : `:${f.line}`}`,
    id: f.id,
    severity: f.severity,
    key: f.key,
    message: f.message,
  }));
  return { findings, warnings, input };
}

/** One made-up file, checked against a kernel with the given running values. */
function lintText(text: string, running: Record<string, string>, kernel = "6.1.0", missing: string[] = []) {
  const { assignments, problems } = parseSysctlConf(text, "t.conf");
  const input: LintInput = {
    files: [{ path: "t.conf", shadows: [] }],
    assignments,
    problems,
    kernel,
    kernelChecked: true,
    running,
    missing,
  };
  return lintConfig(input).findings;
}

describe("lint on the legacy fixture", () => {
  const { findings, warnings, input } = lintFixture("legacy");

  it("reads the kernel of the tree and warns of nothing", () => {
    assert.deepEqual(warnings, []);
    assert.equal(input.kernel, "6.1.0-18-amd64");
  });

  it("finds each problem at its file and line, in load order", () => {
    assert.deepEqual(
      findings.map((f) => [f.at, f.id, f.severity]),
      [
        ["usr/lib/sysctl.d/50-default.conf:1", "overridden", "warning"],
        ["usr/lib/sysctl.d/50-default.conf:2", "overridden", "warning"],
        ["usr/lib/sysctl.d/60-net.conf", "shadowed-file", "info"],
        ["etc/sysctl.d/60-net.conf:2", "overridden", "warning"],
        ["etc/sysctl.d/60-net.conf:3", "removed-key", "info"],
        ["etc/sysctl.d/60-net.conf:4", "overridden", "warning"],
        ["etc/sysctl.d/60-net.conf:5", "bad-value", "warning"],
        ["etc/sysctl.d/60-net.conf:6", "trailing-text", "info"],
        ["etc/sysctl.d/60-net.conf:6", "drift", "warning"],
        ["etc/sysctl.d/60-net.conf:7", "missing-key", "warning"],
        ["etc/sysctl.d/60-net.conf:8", "missing-key", "info"],
        ["etc/sysctl.d/60-net.conf:9", "syntax", "warning"],
        ["run/sysctl.d/70-runtime.conf:2", "bad-value", "warning"],
        ["etc/sysctl.conf:2", "removed-key", "critical"],
        ["etc/sysctl.conf:3", "explained", "info"],
        ["etc/sysctl.conf:4", "explained", "info"],
        ["etc/sysctl.conf:4", "drift", "warning"],
      ],
    );
  });

  it("says which file wins an override", () => {
    const f = findings.find((x) => x.at === "etc/sysctl.d/60-net.conf:2")!;
    assert.match(
      f.message,
      /etc\/sysctl\.conf:4 sets net\.ipv4\.tcp_tw_reuse = 1 and is loaded later, so it wins/,
    );
  });

  it("explains tcp_tw_recycle and the failing sysctl -p", () => {
    const f = findings.find((x) => x.at === "etc/sysctl.conf:2")!;
    assert.match(f.message, /removed in Linux 4\.12/);
    assert.match(f.message, /cannot stat \/proc\/sys\/net\/ipv4\/tcp_tw_recycle/);
  });

  it("names the kernel a missing key arrived in, and the refused port range", () => {
    assert.match(
      findings.find((x) => x.at === "etc/sysctl.d/60-net.conf:7")!.message,
      /arrived in Linux 6\.14/,
    );
    assert.match(
      findings.find((x) => x.at === "run/sysctl.d/70-runtime.conf:2")!.message,
      /ip_unprivileged_port_start \(1024\); 900 is refused/,
    );
  });

  it("compares the running value with the number the kernel would read", () => {
    const f = findings.find((x) => x.id === "drift" && x.key === "net.ipv4.tcp_keepalive_time")!;
    assert.match(f.message, /runs net\.ipv4\.tcp_keepalive_time = 7200, not 600:/);
  });
});

describe("lint on the debian fixture", () => {
  it("only explains its two settings, once each: the same file read twice agrees with itself", () => {
    assert.deepEqual(
      lintFixture("debian").findings.map((f) => [f.at, f.id, f.severity]),
      [
        ["usr/lib/sysctl.d/50-base.conf:1", "explained", "info"],
        ["etc/sysctl.conf:2", "explained", "info"],
      ],
    );
  });
});

describe("lint on the article's advice (tcp_tw_recycle = 1, tcp_tw_reuse = 1) and tcp_fin_timeout", () => {
  const TEXT = "net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_fin_timeout = 30\n";

  it("has a finding at each line", () => {
    const f = lintText(TEXT, { "net.ipv4.tcp_tw_reuse": "2", "net.ipv4.tcp_fin_timeout": "60" }, "6.1.0", [
      "net.ipv4.tcp_tw_recycle",
    ]);
    assert.deepEqual(
      f.map((x) => [x.line, x.id, x.severity]),
      [
        [1, "removed-key", "critical"],
        [2, "explained", "info"],
        [2, "drift", "warning"],
        [3, "explained", "info"],
        [3, "drift", "warning"],
      ],
    );
    const reuse = f.find((x) => x.line === 2 && x.id === "explained")!.message;
    assert.match(reuse, /outgoing connections/);
    assert.match(reuse, /needs TCP timestamps/);
    assert.match(reuse, /default has been 2 \(loopback connections only\) since Linux 4\.18/);
    assert.match(reuse, /no effect on TIME_WAIT on the server side/);
    const fin = f.find((x) => x.line === 3 && x.id === "explained")!.message;
    assert.match(fin, /FIN_WAIT_2/);
    assert.match(fin, /does not change the TIME_WAIT length/);
  });

  it("tcp_tw_reuse says what the kernel it runs on makes of it", () => {
    const off = lintText("net.ipv4.tcp_tw_reuse = 1\n", { "net.ipv4.tcp_timestamps": "0" }, "6.1.0");
    assert.match(off[0]!.message, /tcp_timestamps = 0, so it does nothing here/);
    const old = lintText("net.ipv4.tcp_tw_reuse = 1\n", {}, "4.9.0");
    assert.match(old[0]!.message, /default on this kernel is 0/);
  });
});

describe("lint cases", () => {
  it("on a kernel that still has tcp_tw_recycle: warns of the upgrade", () => {
    const f = lintText("net.ipv4.tcp_tw_recycle = 1\n", { "net.ipv4.tcp_tw_recycle": "1" }, "4.9.0");
    assert.deepEqual(
      f.map((x) => [x.id, x.severity]),
      [["removed-key", "warning"]],
    );
    assert.match(f[0]!.message, /removed in Linux 4\.12 .* turn it off/);
  });

  it("equal values set twice: no finding; different: the earlier one", () => {
    const running = { "net.core.somaxconn": "8192" };
    assert.deepEqual(lintText("net.core.somaxconn = 8192\nnet/core/somaxconn=0x2000\n", running), []);
    const f = lintText("net.core.somaxconn = 1024\nnet.core.somaxconn = 8192\n", running);
    assert.deepEqual(
      f.map((x) => [x.line, x.id]),
      [[1, "overridden"]],
    );
  });

  it("no drift for a key whose value the kernel refuses (it never lands)", () => {
    const f = lintText("net.ipv4.tcp_tw_reuse = 7\n", { "net.ipv4.tcp_tw_reuse": "2" });
    assert.deepEqual(
      f.map((x) => x.id),
      ["bad-value"],
    );
  });

  it("keys of modules not loaded are only noted; '-' lines too", () => {
    const f = lintText(
      "net.netfilter.nf_conntrack_max = 262144\n-kernel.nope = 1\nkernel.nope2 = 1\n",
      {},
      "6.1.0",
      ["net.netfilter.nf_conntrack_max", "kernel.nope", "kernel.nope2"],
    );
    assert.deepEqual(
      f.map((x) => [x.line, x.id, x.severity]),
      [
        [1, "missing-key", "info"],
        [2, "missing-key", "info"],
        [3, "missing-key", "warning"],
      ],
    );
    assert.match(f[0]!.message, /module nf_conntrack is not loaded/);
  });

  it("fs.file-max at LONG_MAX (an unsigned long) is neither a bad value nor drift", () => {
    const max = "9223372036854775807";
    assert.deepEqual(lintText(`fs.file-max = ${max}\n`, { "fs.file-max": max }), []);
    const f = lintText("fs.file-max = 9223372036854775808\n", { "fs.file-max": max });
    assert.deepEqual(
      f.map((x) => x.id),
      ["bad-value"],
    );
  });

  it("a host-only key missing inside a network namespace: said so, only noted", () => {
    const f = lintText("net.ipv4.tcp_max_orphans = 65536\n", {}, "6.1.0", ["net.ipv4.tcp_max_orphans"]);
    assert.deepEqual(
      f.map((x) => [x.id, x.severity]),
      [["missing-key", "info"]],
    );
    assert.match(f[0]!.message, /only in the host's network namespace/);
  });

  it("a --root that does not exist is an InputError, not an empty lint", () => {
    assert.throws(
      () => gatherLint(join(fixtures, "no-such-root")),
      (err: unknown) => err instanceof InputError && /^no such root .*no-such-root$/.test(err.message),
    );
  });

  it("without the kernel's /proc/sys, only the files are judged", () => {
    const { assignments, problems } = parseSysctlConf("kernel.nope = 1\nnet.ipv4.tcp_tw_reuse = x\n", "t");
    const r = lintConfig({
      files: [{ path: "t", shadows: [] }],
      assignments,
      problems,
      kernel: null,
      kernelChecked: false,
      running: {},
      missing: [],
    });
    assert.deepEqual(
      r.findings.map((x) => x.id),
      ["bad-value"],
    );
    assert.equal(r.severity, "warning");
  });
});
