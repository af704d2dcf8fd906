import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../src/model/errors.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { readSysctlSet, readSysctls, SOCKDOC_SYSCTLS, sysctlPath } from "../../src/sources/sysctl.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const host1 = new ProcFs(join(repoRoot, "test", "fixtures", "proc", "host1"));

describe("sysctl", () => {
  it("maps dotted and slashed names to paths under sys/", () => {
    assert.deepEqual(sysctlPath("net.ipv4.tcp_tw_reuse"), ["sys", "net", "ipv4", "tcp_tw_reuse"]);
    assert.deepEqual(sysctlPath("net/ipv4/conf/eth0.1/rp_filter"), [
      "sys",
      "net",
      "ipv4",
      "conf",
      "eth0.1",
      "rp_filter",
    ]);
    assert.throws(() => sysctlPath("net..ipv4"), UsageError);
    assert.throws(() => sysctlPath("net/../../etc/passwd"), UsageError);
  });

  it("reads the fixture's values and lists the missing names apart", () => {
    const names = [
      "net.ipv4.tcp_tw_reuse",
      "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_max_tw_buckets",
      "net.ipv4.tcp_tw_recycle",
    ];
    const r = readSysctlSet(host1, names);
    assert.deepEqual(r.values, {
      "net.ipv4.tcp_tw_reuse": "2",
      "net.ipv4.ip_local_port_range": "32768\t60999",
      "net.ipv4.tcp_fin_timeout": "60",
      "net.ipv4.tcp_max_tw_buckets": "262144",
    });
    assert.deepEqual(r.missing, ["net.ipv4.tcp_tw_recycle"]);
    assert.deepEqual(r.unreadable, []);
    assert.deepEqual(readSysctls(host1, names), r.values);
  });

  it(
    "reports an unreadable setting with its error instead of calling it missing",
    {
      skip: process.getuid?.() === 0 ? "root reads files whatever their mode" : false,
    },
    () => {
      const dir = mkdtempSync(join(tmpdir(), "sockdoc-sysctl-"));
      try {
        mkdirSync(join(dir, "sys", "net", "ipv4"), { recursive: true });
        writeFileSync(join(dir, "sys", "net", "ipv4", "tcp_secret"), "1\n");
        chmodSync(join(dir, "sys", "net", "ipv4", "tcp_secret"), 0o000);
        const r = readSysctlSet(new ProcFs(dir), ["net.ipv4.tcp_secret"]);
        assert.deepEqual(r.unreadable, [{ name: "net.ipv4.tcp_secret", code: "EACCES" }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("reads this host's settings: every name sockdoc uses is either a value or missing", () => {
    const r = readSysctlSet(new ProcFs(), SOCKDOC_SYSCTLS);
    assert.deepEqual(r.unreadable, []);
    assert.equal(Object.keys(r.values).length + r.missing.length, SOCKDOC_SYSCTLS.length);
    assert.match(r.values["net.ipv4.ip_local_port_range"] ?? "", /^\d+\s+\d+$/);
  });
});
