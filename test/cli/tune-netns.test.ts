/**
 * Live, root: `sockdoc tune apply` and `rollback` in a network namespace the
 * test makes. net.* settings are per namespace, so the namespace's value
 * changes and the host's does not. Only per-namespace settings are used.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, sockdoc, sockdocBin } from "../support/run.js";

const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const skip = isRoot ? false : "needs root: it creates a network namespace and writes its sysctls";
if (skip) process.stdout.write(`# skipping tune netns tests: ${skip}\n`);

function nsValue(ns: string, name: string): string {
  const r = spawnSync("ip", ["netns", "exec", ns, "cat", `/proc/sys/${name.replace(/\./g, "/")}`], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function hostValue(name: string): string {
  return readFileSync(`/proc/sys/${name.replace(/\./g, "/")}`, "utf8").trim();
}

describe("sockdoc tune apply in a network namespace (root)", { skip }, () => {
  let ns: { name: string; remove: () => void };
  let dir: string;
  let journal: string;
  const FIN = "net.ipv4.tcp_fin_timeout";
  const hostBefore: Record<string, string> = {};
  const names = [FIN, "net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_max_tw_buckets"];

  before(() => {
    for (const n of names) hostBefore[n] = hostValue(n);
    ns = createNetns("tune");
    dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-netns-"));
    journal = join(dir, "journal.jsonl");
  });
  after(() => {
    try {
      ns.remove();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const n of names) assert.equal(hostValue(n), hostBefore[n], `host ${n} changed`);
    }
  });

  it("changes the namespace's value, not the host's, and journals the old one", () => {
    const old = nsValue(ns.name, FIN);
    const target = old === "37" ? "38" : "37";
    const r = sockdoc(["tune", "apply", `${FIN}=${target}`, "--yes", "--journal", journal], {
      netns: ns.name,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`net\\.ipv4\\.tcp_fin_timeout\\s+${old}\\s+${target}\\s+applied`));
    assert.equal(nsValue(ns.name, FIN), target);
    assert.equal(hostValue(FIN), hostBefore[FIN]);
    const rec = readFileSync(journal, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((x) => x.action === "apply");
    assert.equal(rec?.name, FIN);
    assert.equal(rec?.old, old);
    assert.equal(rec?.new, target);
    assert.match(String(rec?.netns), /^net:\[\d+\]$/);
    // rollback restores it
    const back = sockdoc(["tune", "rollback", "--yes", "--journal", journal], { netns: ns.name });
    assert.equal(back.status, 0, back.stderr);
    assert.equal(nsValue(ns.name, FIN), old);
  });

  it("a batch of several per-namespace settings, then its rollback", () => {
    const before = Object.fromEntries(names.slice(1).map((n) => [n, nsValue(ns.name, n)]));
    const r = sockdoc(
      [
        "tune",
        "apply",
        "net.ipv4.tcp_tw_reuse=1",
        "net.ipv4.ip_local_port_range=20000 40001",
        "net.ipv4.tcp_max_tw_buckets=5000",
        "--yes",
        "--json",
        "--journal",
        journal,
      ],
      { netns: ns.name },
    );
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { results: Array<{ outcome: string }>; netns: string };
    assert.deepEqual(
      doc.results.map((x) => x.outcome),
      ["applied", "applied", "applied"],
    );
    assert.equal(nsValue(ns.name, "net.ipv4.ip_local_port_range"), "20000\t40001");
    assert.equal(nsValue(ns.name, "net.ipv4.tcp_max_tw_buckets"), "5000");
    const back = sockdoc(["tune", "rollback", "--yes", "--journal", journal], { netns: ns.name });
    assert.equal(back.status, 0, back.stderr);
    for (const [n, v] of Object.entries(before)) assert.equal(nsValue(ns.name, n), v);
  });

  it("rollback in the namespace: refused from a journal others can write, done once only root can", () => {
    const old = nsValue(ns.name, FIN);
    const target = old === "43" ? "44" : "43";
    const own = join(dir, "trust.jsonl");
    const r = sockdoc(["tune", "apply", `${FIN}=${target}`, "--yes", "--journal", own], { netns: ns.name });
    assert.equal(r.status, 0, r.stderr);
    chmodSync(own, 0o666);
    const refused = sockdoc(["tune", "rollback", "--yes", "--journal", own], { netns: ns.name });
    assert.equal(refused.status, 3, refused.stderr);
    assert.match(
      refused.stderr,
      /^sockdoc: refusing the journal \S+: it is writable by group and others \(mode 0666\)/,
    );
    assert.equal(nsValue(ns.name, FIN), target, "not rolled back");
    chmodSync(own, 0o600);
    const back = sockdoc(["tune", "rollback", "--yes", "--journal", own], { netns: ns.name });
    assert.equal(back.status, 0, back.stderr);
    assert.equal(nsValue(ns.name, FIN), old);
  });

  it("a host-wide net.* setting: it exists only in the host's namespace, not 'this kernel has no'", () => {
    // A dry run: planning refuses it before anything could be written.
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_max_orphans=65536", "--journal", journal], {
      netns: ns.name,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^sockdoc: net\.ipv4\.tcp_max_orphans exists only in the host's network namespace, not in this one .*\n$/,
    );
  });

  it("a held lock stops a real apply in the namespace: exit 3, the namespace's value unchanged", () => {
    const old = nsValue(ns.name, FIN);
    writeFileSync(`${journal}.lock`, `${process.pid}\n`);
    try {
      const r = sockdoc(
        ["tune", "apply", `${FIN}=${old === "39" ? "40" : "39"}`, "--yes", "--journal", journal],
        {
          netns: ns.name,
        },
      );
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr, /holds .*\.lock; nothing was changed/);
      assert.equal(nsValue(ns.name, FIN), old);
    } finally {
      rmSync(`${journal}.lock`);
    }
  });

  it(
    "not root: exit 4 with the sudo command, nothing written",
    { skip: setpriv ? false : "setpriv not found" },
    () => {
      const r = spawnSync(
        "ip",
        [
          "netns",
          "exec",
          ns.name,
          setpriv!,
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          sockdocBin,
          "tune",
          "apply",
          `${FIN}=41`,
          "--yes",
          "--journal",
          join(dir, "nobody.jsonl"),
        ],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 4, r.stderr);
      assert.match(
        r.stderr,
        /^sockdoc: writing net\.ipv4\.tcp_fin_timeout needs root \(EACCES\); nothing was changed; run: sudo .*--yes.*\n$/,
      );
      assert.notEqual(nsValue(ns.name, FIN), "41");
      assert.equal(existsSync(join(dir, "nobody.jsonl")), false);
    },
  );
});
