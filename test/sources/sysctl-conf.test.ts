/**
 * The sysctl config parser (one file's text), the load order, and the
 * reader on the hand-made trees under test/fixtures/tune/.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { readSysctlConfig } from "../../src/sources/sysctl-conf.js";
import { orderConfigFiles } from "../../src/sources/sysctl-conf-order.js";
import { parseSysctlConf } from "../../src/sources/sysctl-conf-parse.js";
import { canonicalSysctlKey } from "../../src/sources/sysctl-key.js";
import { InputError } from "../../src/model/errors.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fixtures = join(repoRoot, "test", "fixtures", "tune");

describe("canonicalSysctlKey", () => {
  const cases: Array<[string, string | null]> = [
    ["net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_tw_reuse"],
    ["net/ipv4/tcp_tw_reuse", "net.ipv4.tcp_tw_reuse"],
    // First separator "." : a "/" stands for a dot inside a part (sysctl.d(5)).
    ["net.ipv4.conf.eth0/100.rp_filter", "net/ipv4/conf/eth0.100/rp_filter"],
    // First separator "/" : dots belong to the parts.
    ["net/ipv4/conf/eth0.100/rp_filter", "net/ipv4/conf/eth0.100/rp_filter"],
    ["net..ipv4", null],
    ["net/../etc", null],
    ["net.ipv4 tcp", null],
    ["", null],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}" -> ${expected}`, () => assert.equal(canonicalSysctlKey(input), expected));
  }
});

describe("parseSysctlConf", () => {
  it("reads assignments with line numbers, skips comments, keeps '#' after a value", () => {
    const text = [
      "# comment",
      "; also a comment",
      "",
      "net.ipv4.tcp_tw_reuse = 1",
      "  -net.ipv4.tcp_tw_recycle=0  ",
      "net/ipv4/ip_local_port_range =\t10240 65535",
      "net.ipv4.tcp_fin_timeout = 30 # half a minute",
      "net.ipv4.conf.*.rp_filter = 2",
      "kernel.domainname =",
    ].join("\n");
    const { assignments, problems } = parseSysctlConf(text, "f.conf");
    assert.deepEqual(problems, []);
    assert.deepEqual(
      assignments.map((a) => [a.line, a.key, a.value, a.ignoreErrors, a.glob]),
      [
        [4, "net.ipv4.tcp_tw_reuse", "1", false, false],
        [5, "net.ipv4.tcp_tw_recycle", "0", true, false],
        [6, "net.ipv4.ip_local_port_range", "10240 65535", false, false],
        [7, "net.ipv4.tcp_fin_timeout", "30 # half a minute", false, false],
        [8, "net.ipv4.conf.*.rp_filter", "2", false, true],
        [9, "kernel.domainname", "", false, false],
      ],
    );
    assert.ok(assignments.every((a) => a.file === "f.conf"));
  });

  it("reports lines it cannot read, with their line numbers", () => {
    const { assignments, problems } = parseSysctlConf(
      "ok.key = 1\r\nno equals here\n= 5\nnet..x = 1\na b = 2\n",
      "g",
    );
    assert.equal(assignments.length, 1);
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      [
        [2, 'not an assignment (no "="); sysctl skips it'],
        [3, 'no name before "="'],
        [4, '"net..x" is not a sysctl name'],
        [5, '"a b" is not a sysctl name (it holds whitespace)'],
      ],
    );
  });

  it("never throws, and every line number points into the text (property)", () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom("#x", ";y", "-", "=", "a=b", "-a.b = c", " a/b.c = 1 2", "*=*", "\t", "\r"),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join("\n");
        const total = text.split(/\r?\n/).length;
        const r = parseSysctlConf(text, "p");
        for (const item of [...r.assignments, ...r.problems]) {
          assert.ok(item.line >= 1 && item.line <= total);
        }
        for (const a of r.assignments) assert.ok(a.key.length > 0 && !/\s/.test(a.key));
      }),
      { numRuns: 500 },
    );
  });
});

describe("orderConfigFiles", () => {
  it("takes a name from the first directory, sorts by name, puts /etc/sysctl.conf last", () => {
    const listing = new Map([
      ["etc/sysctl.d", ["60-net.conf", "notes.txt"]],
      ["run/sysctl.d", ["70-run.conf"]],
      ["usr/lib/sysctl.d", ["60-net.conf", "50-default.conf", "99-z.conf"]],
      ["lib/sysctl.d", ["10-early.conf", "99-z.conf"]],
    ]);
    assert.deepEqual(orderConfigFiles(listing, true), [
      { path: "lib/sysctl.d/10-early.conf", shadows: [] },
      { path: "usr/lib/sysctl.d/50-default.conf", shadows: [] },
      { path: "etc/sysctl.d/60-net.conf", shadows: ["usr/lib/sysctl.d/60-net.conf"] },
      { path: "run/sysctl.d/70-run.conf", shadows: [] },
      { path: "usr/lib/sysctl.d/99-z.conf", shadows: ["lib/sysctl.d/99-z.conf"] },
      { path: "etc/sysctl.conf", shadows: [] },
    ]);
    assert.deepEqual(orderConfigFiles(new Map(), false), []);
  });

  it("skips hidden names, as sysctl --system and systemd-sysctl do", () => {
    const listing = new Map([["etc/sysctl.d", [".x.conf", ".conf", "10-a.conf"]]]);
    assert.deepEqual(orderConfigFiles(listing, false), [{ path: "etc/sysctl.d/10-a.conf", shadows: [] }]);
  });
});

describe("readSysctlConfig on fixture trees", () => {
  it("legacy: every directory, in load order, the shadowed file not read", () => {
    const root = join(fixtures, "legacy");
    const c = readSysctlConfig(root);
    assert.deepEqual(c.warnings, []);
    assert.deepEqual(
      c.files.map((f) => f.path.slice(root.length + 1)),
      [
        "lib/sysctl.d/10-early.conf",
        "usr/lib/sysctl.d/50-default.conf",
        "usr/local/lib/sysctl.d/55-local.conf",
        "etc/sysctl.d/60-net.conf",
        "run/sysctl.d/70-runtime.conf",
        "etc/sysctl.conf",
      ],
    );
    assert.deepEqual(c.files[3]!.shadows, [join(root, "usr/lib/sysctl.d/60-net.conf")]);
    // The README in etc/sysctl.d is not *.conf: its tcp_fin_timeout = 1 is never read.
    assert.ok(!c.assignments.some((a) => a.value === "1" && a.key === "net.ipv4.tcp_fin_timeout"));
    const last = c.assignments.filter((a) => a.key === "net.ipv4.ip_local_port_range").pop();
    assert.equal(`${last?.file.slice(root.length + 1)}:${last?.line}`, "run/sysctl.d/70-runtime.conf:2");
    assert.deepEqual(
      c.problems.map((p) => [p.file.slice(root.length + 1), p.line]),
      [["etc/sysctl.d/60-net.conf", 9]],
    );
  });

  it("debian: a link to sysctl.conf is read twice; /lib -> usr/lib shadows nothing", () => {
    const root = join(fixtures, "debian");
    const c = readSysctlConfig(root);
    assert.deepEqual(
      c.files.map((f) => [f.path.slice(root.length + 1), f.shadows]),
      [
        ["usr/lib/sysctl.d/50-base.conf", []],
        ["etc/sysctl.d/99-sysctl.conf", []],
        ["etc/sysctl.conf", []],
      ],
    );
    assert.equal(c.assignments.filter((a) => a.key === "net.ipv4.tcp_tw_reuse").length, 2);
  });

  it("a hidden file in sysctl.d is not read (and not linted as loaded)", () => {
    const root = mkdtempSync(join(tmpdir(), "sockdoc-sysctl-conf-"));
    try {
      mkdirSync(join(root, "etc", "sysctl.d"), { recursive: true });
      writeFileSync(join(root, "etc", "sysctl.d", ".90-old.conf"), "net.ipv4.tcp_tw_reuse = 0\n");
      writeFileSync(join(root, "etc", "sysctl.d", "90-new.conf"), "net.ipv4.tcp_tw_reuse = 1\n");
      const c = readSysctlConfig(root);
      assert.deepEqual(
        c.files.map((f) => f.path),
        [join(root, "etc", "sysctl.d", "90-new.conf")],
      );
      assert.deepEqual(
        c.assignments.map((a) => a.value),
        ["1"],
      );
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it("a root that does not exist, or is a file, is an InputError", () => {
    const missing = join(fixtures, "no-such-root");
    assert.throws(
      () => readSysctlConfig(missing),
      (err: unknown) => err instanceof InputError && err.message === `no such root ${missing}`,
    );
    assert.throws(() => readSysctlConfig(join(fixtures, "README.md")), /is not a directory/);
  });

  it("a root without config files gives nothing, and no error", () => {
    const c = readSysctlConfig(join(fixtures, "busy-proc"));
    assert.deepEqual([c.files, c.assignments, c.warnings], [[], [], []]);
  });
});
