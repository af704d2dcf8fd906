/**
 * `tune advise` answers the article's advice as `tune lint` does: the same
 * explanation of tcp_tw_reuse and tcp_fin_timeout at the FILE:LINE of a
 * sysctl.d file it reads (--root), and for a running value away from the
 * default in a fixture /proc tree (--proc-root); tcp_tw_recycle as removed.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { sockdoc } from "../../support/run.js";

interface Finding {
  id: string;
  severity: string;
  setting: string | null;
  current: string | null;
  why: string;
}

const work = mkdtempSync(join(tmpdir(), "sockdoc-advise-explained-"));
after(() => rmSync(work, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A root with a /proc tree (kernel, the sysctls, no sockets) and the given sysctl.d file. */
function host(name: string, kernel: string, sysctls: Record<string, string>, conf: string | null): string {
  const root = join(work, name);
  put(join(root, "proc", "sys", "kernel", "osrelease"), `${kernel}\n`);
  put(join(root, "proc", "sys", "kernel", "hostname"), `${name}\n`);
  for (const [key, value] of Object.entries(sysctls)) {
    put(join(root, "proc", "sys", ...key.split(".")), `${value}\n`);
  }
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  put(join(root, "proc", "net", "tcp"), header);
  put(join(root, "proc", "net", "tcp6"), header);
  if (conf !== null) put(join(root, "etc", "sysctl.d", "90-article.conf"), conf);
  else mkdirSync(join(root, "etc"), { recursive: true });
  return root;
}

function advise(root: string): Finding[] {
  const r = sockdoc(["tune", "advise", "--proc-root", join(root, "proc"), "--root", root, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

function lintMessages(root: string): string[] {
  const r = sockdoc(["tune", "lint", "--root", root, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Array<{ id: string; message: string }> }).findings
    .filter((f) => f.id === "explained")
    .map((f) => f.message);
}

const ARTICLE = "net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_fin_timeout = 30\n";

describe("tune advise explains the article's lines at their FILE:LINE", () => {
  const root = host(
    "article",
    "6.1.0-18-amd64",
    { "net.ipv4.tcp_tw_reuse": "1", "net.ipv4.tcp_fin_timeout": "30", "net.ipv4.tcp_timestamps": "1" },
    ARTICLE,
  );
  const conf = join(root, "etc", "sysctl.d", "90-article.conf");
  const findings = advise(root);

  it("tcp_tw_reuse = 1 at line 2: outgoing only, needs timestamps, 2 the default since 4.18, not the server side", () => {
    const f = findings.find((x) => x.id === "explained-config" && x.setting === "net.ipv4.tcp_tw_reuse");
    assert.ok(f, JSON.stringify(findings));
    assert.equal(f.severity, "info");
    assert.ok(f.why.startsWith(`${conf}:2: net.ipv4.tcp_tw_reuse = 1 lets new outgoing connections`), f.why);
    assert.match(f.why, /needs TCP timestamps/);
    assert.match(f.why, /default has been 2 \(loopback connections only\) since Linux 4\.18/);
    assert.match(f.why, /no effect on TIME_WAIT on the server side/);
  });

  it("tcp_fin_timeout = 30 at line 3: the FIN_WAIT_2 orphan timeout, not the TIME_WAIT length", () => {
    const f = findings.find((x) => x.id === "explained-config" && x.setting === "net.ipv4.tcp_fin_timeout");
    assert.ok(f, JSON.stringify(findings));
    assert.ok(
      f.why.startsWith(`${conf}:3: net.ipv4.tcp_fin_timeout = 30 is how long an orphaned socket`),
      f.why,
    );
    assert.match(f.why, /FIN_WAIT_2/);
    assert.match(f.why, /does not change the TIME_WAIT length/);
  });

  it("the texts are lint's, word for word; tcp_tw_recycle at line 1 as removed in 4.12", () => {
    const f = findings.find((x) => x.setting === "net.ipv4.tcp_tw_recycle");
    assert.ok(f, JSON.stringify(findings));
    assert.ok(f.why.startsWith(`${conf}:1 sets tcp_tw_recycle, removed in Linux 4.12`), f.why);

    const messages = lintMessages(root);
    assert.equal(messages.length, 2);
    for (const m of messages) {
      assert.ok(
        findings.some(
          (f) => f.id === "explained-config" && f.why === `${conf}:${m.includes("tw_reuse") ? 2 : 3}: ${m}.`,
        ),
        `${m} not in advise`,
      );
    }
  });

  it("the running values the lines set are not said twice", () => {
    assert.equal(findings.filter((f) => f.setting === "net.ipv4.tcp_fin_timeout").length, 1);
    assert.equal(findings.filter((f) => f.setting === "net.ipv4.tcp_tw_reuse").length, 1);
  });
});

describe("tune advise explains running values away from the default, without config lines", () => {
  it("tcp_tw_reuse 1 (the default is 2) and tcp_fin_timeout 120, timestamps off; the defaults say nothing", () => {
    const root = host(
      "live",
      "6.1.0-18-amd64",
      { "net.ipv4.tcp_tw_reuse": "1", "net.ipv4.tcp_fin_timeout": "120", "net.ipv4.tcp_timestamps": "0" },
      null,
    );
    const findings = advise(root);
    const reuse = findings.find((f) => f.setting === "net.ipv4.tcp_tw_reuse");
    assert.ok(reuse, JSON.stringify(findings));
    assert.equal(reuse.id, "tw-reuse-explained");
    assert.equal(reuse.current, "1");
    assert.match(reuse.why, /^net\.ipv4\.tcp_tw_reuse = 1 lets new outgoing connections/);
    assert.match(reuse.why, /tcp_timestamps = 0, so it does nothing here/);
    const fin = findings.find((f) => f.setting === "net.ipv4.tcp_fin_timeout");
    assert.ok(fin, JSON.stringify(findings));
    assert.equal(fin.severity, "info");
    assert.match(fin.why, /^net\.ipv4\.tcp_fin_timeout = 120 is how long an orphaned socket .* FIN_WAIT_2/);
    // The defaults (2 and 60) say nothing.
    const quiet = host(
      "quiet",
      "6.1.0-18-amd64",
      { "net.ipv4.tcp_tw_reuse": "2", "net.ipv4.tcp_fin_timeout": "60", "net.ipv4.tcp_timestamps": "1" },
      null,
    );
    assert.deepEqual(
      advise(quiet).filter(
        (f) => f.setting === "net.ipv4.tcp_tw_reuse" || f.setting === "net.ipv4.tcp_fin_timeout",
      ),
      [],
    );
  });

  it("on 4.17, 0 is the default and 1 is explained as such", () => {
    const root = host(
      "old",
      "4.17.0",
      { "net.ipv4.tcp_tw_reuse": "1", "net.ipv4.tcp_timestamps": "1" },
      null,
    );
    const reuse = advise(root).find((f) => f.setting === "net.ipv4.tcp_tw_reuse");
    assert.ok(reuse);
    assert.match(reuse.why, /the default on this kernel is 0 \(2, loopback only, came in Linux 4\.18\)/);
  });
});
