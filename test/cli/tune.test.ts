/**
 * `sockdoc tune` through bin/sockdoc: help, advice and lint on the fixture
 * trees under test/fixtures/tune/, and apply / rollback / history against a
 * temp dir given as --proc-root (never the host's /proc/sys).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot, sockdoc, sockdocBin } from "../support/run.js";

const fixtures = join(repoRoot, "test", "fixtures", "tune");
const busy = join(fixtures, "busy-proc");
const narrow = { env: { COLUMNS: "80" } };

function json<T>(args: string[]): { status: number | null; doc: T; stderr: string } {
  const r = sockdoc(args);
  return { status: r.status, doc: JSON.parse(r.stdout) as T, stderr: r.stderr };
}

interface FindingJson {
  id: string;
  severity: string;
  setting: string | null;
  current: string | null;
  recommended: string | null;
  command: string | null;
}

describe("sockdoc tune: help", () => {
  it("tune --help lists the subcommands, the facts, examples and exit codes", () => {
    const r = sockdoc(["tune", "--help"]);
    assert.equal(r.status, 0, r.stderr);
    for (const word of [
      "advise",
      "lint",
      "apply",
      "rollback",
      "history",
      "Examples:",
      "Exit status: 0 ok; 1",
      "removed in Linux 4.12",
      "loopback only",
    ]) {
      assert.ok(r.stdout.includes(word), `help lacks "${word}"`);
    }
  });

  for (const sub of ["advise", "lint", "apply", "rollback", "history"]) {
    it(`tune ${sub} --help has examples and exit codes`, () => {
      const r = sockdoc(["tune", sub, "--help"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage: sockdoc tune ${sub}`));
      assert.match(r.stdout, /\nExamples:\n/);
      assert.match(r.stdout, /\nExit status: 0 /);
    });
  }
});

describe("sockdoc tune advise on a fixture /proc", () => {
  it("is the default subcommand, and its JSON has the envelope and the findings", () => {
    const { status, doc } = json<{
      schema: string;
      host: { hostname: string; kernel: string };
      source: { kind: string };
      severity: string;
      findings: FindingJson[];
      facts: {
        timeWait: number;
        closeWait: number;
        outgoingTimeWait: number;
        worstOutgoing: { destination: string };
      };
    }>(["tune", "--proc-root", busy, "--json"]);
    assert.equal(status, 0);
    assert.equal(doc.schema, "sockdoc.tune/v1");
    assert.deepEqual(doc.host, { hostname: "busy1", kernel: "4.11.0-custom" });
    assert.equal(doc.source.kind, "proc");
    assert.equal(doc.severity, "critical");
    assert.deepEqual(doc.facts.timeWait, 100);
    assert.deepEqual(doc.facts.closeWait, 2);
    assert.equal(doc.facts.worstOutgoing.destination, "10.0.0.5 -> 10.0.0.7:5432");
    assert.deepEqual(
      doc.findings.map((f) => [f.id, f.severity, f.recommended]),
      [
        ["tw-recycle-on", "critical", "0"],
        ["tw-reuse-pressure", "critical", "1"],
        ["port-range-narrow", "critical", "10240 65535"],
        ["close-wait-no-sysctl", "warning", null],
        ["timestamps-off", "warning", "1"],
        ["tw-buckets-overflow", "warning", "262144"],
        ["fin-timeout-not-time-wait", "warning", null],
      ],
    );
  });

  it("--fail-on exits 1 at or above the severity", () => {
    assert.equal(sockdoc(["tune", "advise", "--proc-root", busy, "--fail-on", "critical"]).status, 1);
    const host1 = join(repoRoot, "test", "fixtures", "proc", "host1");
    assert.equal(sockdoc(["tune", "--proc-root", host1, "--fail-on", "critical"]).status, 0);
    assert.equal(sockdoc(["tune", "--proc-root", host1, "--fail-on", "bogus"]).status, 2);
  });

  it("prints a table and numbered reasons that fit 80 columns", () => {
    const r = sockdoc(["tune", "--proc-root", busy], narrow);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "Kernel 4.11.0-custom on busy1: 7 findings (3 critical, 4 warning)");
    assert.match(lines[2] ?? "", /^#\s+Severity\s+Setting\s+Current\s+Recommended$/);
    assert.ok(
      r.stdout.includes("   Run: sockdoc tune apply net.ipv4.tcp_timestamps=1 net.ipv4.tcp_tw_reuse=1"),
    );
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`);
  });

  it("CSV has one row per finding", () => {
    const r = sockdoc(["tune", "--proc-root", busy, "--format", "csv"]);
    const rows = r.stdout.trimEnd().split("\n");
    assert.equal(rows[0], "id,severity,setting,current,recommended,command,why");
    assert.equal(rows.length, 8);
  });
});

describe("sockdoc tune advise on a capture without settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-capture-"));
  after(() => rmSync(dir, { recursive: true }));

  it("ports running out: reuse and the port range are advised, their values unknown", () => {
    // 2400 connections to one destination closed in the last 10 s: 240/s, over half of the 470/s
    // the default range sustains without reuse (a warning), in a /proc/net/tcp dump.
    const lines = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    ];
    for (let i = 0; i < 2400; i++) {
      const port = (33000 + i).toString(16).toUpperCase();
      lines.push(
        `${String(i).padStart(4)}: 0500000A:${port} 0700000A:1538 06 00000000:00000000 03:0000157C 00000000     0        0 0 3 0000000000000000`,
      );
    }
    const capture = join(dir, "tcp");
    writeFileSync(capture, `${lines.join("\n")}\n`);
    const { status, doc } = json<{ findings: FindingJson[] }>(["tune", "--input", capture, "--json"]);
    assert.equal(status, 0);
    const pressure = doc.findings.filter((f) => f.id !== "close-wait-no-sysctl");
    assert.deepEqual(
      pressure.map((f) => [f.id, f.severity, f.current, f.recommended]),
      [
        ["tw-reuse-pressure", "warning", null, "1"],
        ["port-range-narrow", "warning", null, "10240 65535"],
      ],
    );
  });
});

describe("sockdoc tune lint on fixture trees", () => {
  it("legacy: FILE:LINE findings, JSON envelope, --fail-on", () => {
    const root = join(fixtures, "legacy");
    const { status, doc } = json<{
      schema: string;
      severity: string;
      findings: Array<{ file: string; line: number; id: string }>;
    }>(["tune", "lint", "--root", root, "--json", "--fail-on", "critical"]);
    assert.equal(status, 1);
    assert.equal(doc.schema, "sockdoc.tune-lint/v1");
    assert.equal(doc.severity, "critical");
    assert.equal(doc.findings.length, 17);
    const text = sockdoc(["tune", "lint", "--root", root], { env: { COLUMNS: "400" } });
    assert.equal(text.status, 0);
    assert.ok(
      text.stdout.includes(
        `${join(root, "etc", "sysctl.conf")}:2: critical: net.ipv4.tcp_tw_recycle was removed`,
      ),
    );
    assert.match(
      text.stdout,
      /6 config files under .* \(17 settings\), checked against kernel 6\.1\.0-18-amd64: 1 critical, 10 warning, 6 info\./,
    );
    const wrapped = sockdoc(["tune", "lint", "--root", root], narrow);
    for (const line of wrapped.stdout.split("\n"))
      assert.ok(line.length <= 80 || !line.includes(" "), `too wide: ${line}`);
  });

  it("a --root that does not exist: exit 3, one line", () => {
    const r = sockdoc(["tune", "lint", "--root", join(fixtures, "no-such-root")]);
    assert.equal(r.status, 3);
    assert.equal(r.stderr, `sockdoc: no such root ${join(fixtures, "no-such-root")}\n`);
    assert.equal(r.stdout, "");
  });

  it("debian: nothing wrong, its two settings explained", () => {
    const r = sockdoc(["tune", "lint", "--root", join(fixtures, "debian"), "--fail-on", "warning"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 2 info\.\n$/);
    assert.equal(
      sockdoc(["tune", "lint", "--root", join(fixtures, "debian"), "--fail-on", "info"]).status,
      1,
    );
  });

  it("the article's advice plus tcp_fin_timeout: a finding at each line", () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-article-"));
    try {
      mkdirSync(join(dir, "etc"));
      writeFileSync(
        join(dir, "etc", "sysctl.conf"),
        "net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_fin_timeout = 30\n",
      );
      const r = sockdoc(["tune", "lint", "--root", dir], { env: { COLUMNS: "400" } });
      assert.equal(r.status, 0, r.stderr);
      const conf = join(dir, "etc", "sysctl.conf");
      for (const at of [
        `${conf}:1: warning: net.ipv4.tcp_tw_recycle`,
        `${conf}:2: info: net.ipv4.tcp_tw_reuse = 1`,
        `${conf}:3: info: net.ipv4.tcp_fin_timeout = 30`,
      ]) {
        assert.ok(r.stdout.includes(at), `${at} not in:\n${r.stdout}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sockdoc tune apply / rollback / history on a temp /proc", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-cli-"));
  const proc = join(dir, "proc");
  const journal = join(dir, "journal.jsonl");
  const value = (name: string) => readFileSync(join(proc, "sys", ...name.split(".")), "utf8").trim();
  const set = (name: string, v: string) => {
    const path = join(proc, "sys", ...name.split("."));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${v}\n`);
  };
  set("net.ipv4.tcp_fin_timeout", "60");
  set("net.ipv4.tcp_tw_reuse", "2");
  set("net.ipv4.ip_local_port_range", "32768\t60999");
  set("kernel.osrelease", "6.1.0-18-amd64");
  after(() => rmSync(dir, { recursive: true }));
  const common = ["--proc-root", proc, "--journal", journal];

  it("a dry run shows old -> new and writes nothing, not even the journal", () => {
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_fin_timeout=37", "net.ipv4.tcp_tw_reuse=2", ...common]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Dry run: nothing written\./);
    assert.match(r.stdout, /net\.ipv4\.tcp_fin_timeout\s+60\s+37\s+would-apply/);
    assert.match(r.stdout, /net\.ipv4\.tcp_tw_reuse\s+2\s+2\s+unchanged/);
    assert.match(r.stdout, /To write: .*--yes/);
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "60");
    assert.equal(existsSync(journal), false);
  });

  it("--yes writes, journals the old values, and says how to undo", () => {
    const r = sockdoc([
      "tune",
      "apply",
      "net.ipv4.tcp_fin_timeout=37",
      "net.ipv4.ip_local_port_range=20000 40001",
      ...common,
      "--yes",
      "--json",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      dryRun: boolean;
      batch: string;
      results: Array<{ outcome: string }>;
    };
    assert.equal(doc.schema, "sockdoc.tune-apply/v1");
    assert.equal(doc.dryRun, false);
    assert.deepEqual(
      doc.results.map((x) => x.outcome),
      ["applied", "applied"],
    );
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "37");
    assert.equal(value("net.ipv4.ip_local_port_range"), "20000 40001");
    const records = readFileSync(journal, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const olds = records.filter((x) => x.action === "apply").map((x) => [x.name, x.old, x.new, x.batch]);
    assert.deepEqual(olds, [
      ["net.ipv4.tcp_fin_timeout", "60", "37", doc.batch],
      ["net.ipv4.ip_local_port_range", "32768\t60999", "20000 40001", doc.batch],
    ]);
  });

  it("history lists the batch", () => {
    const r = sockdoc(["tune", "history", "--journal", journal]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1 batches in /);
    assert.match(r.stdout, /net\.ipv4\.tcp_fin_timeout\s+60 -> 37\s+applied/);
  });

  it("rollback: a dry run first, then --yes restores, then nothing is left", () => {
    const dry = sockdoc(["tune", "rollback", ...common]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /net\.ipv4\.tcp_fin_timeout\s+37\s+60\s+would-apply/);
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "37");
    const r = sockdoc(["tune", "rollback", ...common, "--yes"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "60");
    assert.equal(value("net.ipv4.ip_local_port_range"), "32768\t60999");
    const again = sockdoc(["tune", "rollback", ...common, "--yes"]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /^sockdoc: nothing to roll back/);
    const history = JSON.parse(sockdoc(["tune", "history", "--journal", journal, "--json"]).stdout) as {
      batches: Array<{ action: string; of: string | null; changes: Array<{ outcome: string }> }>;
    };
    assert.deepEqual(
      history.batches.map((b) => [b.action, b.changes.map((c) => c.outcome)]),
      [
        ["apply", ["applied", "applied"]],
        ["rollback", ["applied", "applied"]],
      ],
    );
  });

  it("--persist writes the file (previous content journaled) and rollback puts it back", () => {
    const file = join(dir, "90-sockdoc.conf");
    writeFileSync(file, "# mine\nnet.core.somaxconn = 1024\n");
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_tw_reuse=1", ...common, "--yes", "--persist", file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      readFileSync(file, "utf8"),
      "# mine\nnet.core.somaxconn = 1024\nnet.ipv4.tcp_tw_reuse = 1\n",
    );
    assert.match(r.stderr, /is not read at boot/);
    assert.ok(sockdoc(["tune", "rollback", ...common, "--yes"]).status === 0);
    assert.equal(readFileSync(file, "utf8"), "# mine\nnet.core.somaxconn = 1024\n");
    assert.equal(value("net.ipv4.tcp_tw_reuse"), "2");
  });

  const refusals: Array<[string[], RegExp]> = [
    [
      ["net.ipv4.tcp_tw_recycle=0"],
      /refusing net\.ipv4\.tcp_tw_recycle: it drops connections from clients behind NAT/,
    ],
    [["kernel.shmmax=1"], /not one of the settings sockdoc tunes .* --force/],
    [["net.ipv4.tcp_tw_reuse=7"], /the kernel would refuse it/],
    [
      ["net.ipv4.tcp_tw_reuse_delay=100"],
      /has no net\.ipv4\.tcp_tw_reuse_delay \(it arrived in Linux 6\.14\)/,
    ],
    [["--persist", "net.ipv4.tcp_tw_reuse=1"], /--persist took "net\.ipv4\.tcp_tw_reuse=1" as its file/],
    [["net.ipv4.tcp_tw_reuse=1", "--format", "csv"], /--format csv is not offered here/],
  ];
  for (const [args, re] of refusals) {
    it(`exits 2 with one line for: apply ${args.join(" ")}`, () => {
      const r = sockdoc(["tune", "apply", ...args, ...common, "--yes"]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
      assert.equal(value("net.ipv4.tcp_tw_reuse"), "2");
      assert.equal(existsSync(`${journal}.lock`), false, "the lock outlived the run");
    });
  }
});

describe("sockdoc tune apply / rollback: the lock, the journal, the --persist file", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-lock-"));
  const proc = join(dir, "proc");
  const journal = join(dir, "journal.jsonl");
  const lock = `${journal}.lock`;
  const value = (name: string) => readFileSync(join(proc, "sys", ...name.split(".")), "utf8").trim();
  const set = (name: string, v: string) => {
    const path = join(proc, "sys", ...name.split("."));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${v}\n`);
  };
  for (const [n, v] of [
    ["net.ipv4.tcp_fin_timeout", "60"],
    ["net.ipv4.tcp_tw_reuse", "2"],
    ["net.ipv4.tcp_keepalive_time", "7200"],
    ["net.ipv4.tcp_keepalive_intvl", "75"],
    ["net.core.somaxconn", "4096"],
    ["kernel.osrelease", "6.1.0-18-amd64"],
  ])
    set(n!, v!);
  after(() => rmSync(dir, { recursive: true }));
  const common = ["--proc-root", proc, "--journal", journal];
  const records = () =>
    readFileSync(journal, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("rollback without a journal: exit 3, the file is missing; history: no changes", () => {
    for (const args of [
      ["tune", "rollback", ...common],
      ["tune", "rollback", ...common, "--yes"],
    ]) {
      const r = sockdoc(args);
      assert.equal(r.status, 3, r.stderr);
      assert.equal(r.stderr, `sockdoc: no journal at ${journal}\n`);
    }
    assert.equal(existsSync(lock), false);
    const h = sockdoc(["tune", "history", "--journal", journal]);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, /^No changes journaled in /);
  });

  it("a journal of garbage: rollback and history exit 3 with one line", () => {
    const garbage = join(dir, "garbage.jsonl");
    writeFileSync(garbage, "hello\nworld\n");
    for (const args of [
      ["tune", "rollback", "--proc-root", proc, "--journal", garbage, "--yes"],
      ["tune", "history", "--journal", garbage],
    ]) {
      const r = sockdoc(args);
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr.trimEnd().split("\n").pop() ?? "", /is not a tune journal: none of its 2 lines/);
    }
  });

  it("while another run holds the lock: exit 3, one line, nothing written, its lock kept", () => {
    // The test runner itself is a live pid.
    writeFileSync(lock, `${process.pid}\n`);
    try {
      const r = sockdoc(["tune", "apply", "net.ipv4.tcp_fin_timeout=31", ...common, "--yes"]);
      assert.equal(r.status, 3, r.stderr);
      assert.equal(
        r.stderr,
        `sockdoc: another sockdoc tune apply or rollback (pid ${process.pid}) holds ${lock}; ` +
          "nothing was changed; run again when it is done\n",
      );
      assert.equal(value("net.ipv4.tcp_fin_timeout"), "60");
      assert.equal(existsSync(journal), false);
      assert.equal(readFileSync(lock, "utf8"), `${process.pid}\n`);
    } finally {
      rmSync(lock);
    }
  });

  it("a stale lock (its pid not running) is replaced with a note, and released after", () => {
    writeFileSync(lock, "999999999\n");
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_fin_timeout=31", ...common, "--yes"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stderr,
      `sockdoc: warning: replaced the stale lock ${lock} (pid 999999999 is not running)\n`,
    );
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "31");
    assert.equal(existsSync(lock), false);
  });

  it("rollback waits for no one either: a held lock stops it (exit 3)", () => {
    writeFileSync(lock, `${process.pid}\n`);
    try {
      const r = sockdoc(["tune", "rollback", ...common, "--yes"]);
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr, /holds .*journal\.jsonl\.lock/);
      assert.equal(value("net.ipv4.tcp_fin_timeout"), "31");
    } finally {
      rmSync(lock);
    }
  });

  it("an interrupted rollback is not a rollback: the batch is rolled back again, and said so", () => {
    const applied = records().find((x) => x.action === "apply")!;
    // A rollback killed after it wrote the value and before it journaled the outcome.
    const killed = {
      ...applied,
      batch: "20250101T000000Z-dead",
      action: "rollback",
      old: "31",
      new: "60",
      of: applied.batch,
    };
    appendFileSync(journal, `${JSON.stringify(killed)}\n`);
    set("net.ipv4.tcp_fin_timeout", "60");
    const r = sockdoc(["tune", "rollback", ...common, "--yes"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`rollback batch 20250101T000000Z-dead of ${applied.batch as string} was interrupted`),
    );
    assert.match(r.stdout, new RegExp(`^Rolled back batch ${applied.batch as string} as batch `));
    const again = sockdoc(["tune", "rollback", ...common, "--yes"]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /nothing to roll back/);
  });

  it("--persist DIR: exit 3, one line naming it and EISDIR, nothing changed", () => {
    const confDir = join(dir, "conf.d");
    mkdirSync(confDir);
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_tw_reuse=1", ...common, "--yes", "--persist", confDir]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stderr, `sockdoc: ${confDir}: it is a directory, not a file (EISDIR)\n`);
    assert.equal(value("net.ipv4.tcp_tw_reuse"), "2");
    assert.equal(existsSync(lock), false);
  });

  it("a relative --persist is journaled absolute, so rollback from elsewhere finds it", () => {
    const work = join(dir, "work");
    mkdirSync(work);
    const r = spawnSync(
      sockdocBin,
      ["tune", "apply", "net.core.somaxconn=8192", ...common, "--yes", "--persist", "rel.conf"],
      { cwd: work, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const rec = records().find((x) => x.action === "persist");
    assert.equal(rec?.file, join(work, "rel.conf"));
    const back = sockdoc(["tune", "rollback", ...common, "--yes"]); // run from the repository root
    assert.equal(back.status, 0, back.stderr);
    assert.equal(existsSync(join(work, "rel.conf")), false);
    assert.equal(value("net.core.somaxconn"), "4096");
  });

  it("--persist onto a symlink writes through it and keeps it; rollback too", () => {
    const real = join(dir, "sysctl.conf");
    writeFileSync(real, "# host\n");
    const link = join(dir, "99-sysctl.conf");
    symlinkSync("sysctl.conf", link);
    const r = sockdoc(["tune", "apply", "net.ipv4.tcp_tw_reuse=1", ...common, "--yes", "--persist", link]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, "utf8"), "# host\nnet.ipv4.tcp_tw_reuse = 1\n");
    const back = sockdoc(["tune", "rollback", ...common, "--yes"]);
    assert.equal(back.status, 0, back.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, "utf8"), "# host\n");
  });

  it("applies started together: each either lands whole or stops on the lock; no setting is lost", async () => {
    const file = join(dir, "90-race.conf");
    const names = [
      "net.ipv4.tcp_fin_timeout=41",
      "net.ipv4.tcp_keepalive_time=600",
      "net.ipv4.tcp_keepalive_intvl=30",
      "net.core.somaxconn=1024",
    ];
    const runs = names.map(
      (word) =>
        new Promise<{ word: string; status: number | null }>((done) => {
          const child = spawn(sockdocBin, ["tune", "apply", word, ...common, "--yes", "--persist", file], {
            stdio: "ignore",
          });
          child.on("exit", (status) => done({ word, status }));
        }),
    );
    const results = await Promise.all(runs);
    const landed = results.filter((x) => x.status === 0).map((x) => x.word);
    assert.ok(
      results.every((x) => x.status === 0 || x.status === 3),
      JSON.stringify(results),
    );
    assert.ok(landed.length >= 1);
    const text = readFileSync(file, "utf8");
    for (const word of landed) {
      const [name, v] = word.split("=");
      assert.ok(text.includes(`${name} = ${v}\n`), `${word} is missing from ${file}:\n${text}`);
      assert.equal(value(name!), v);
    }
    assert.equal(existsSync(lock), false);
  });
});

describe("sockdoc tune rollback writes only what apply may write, from a journal only root could write", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-tune-trust-"));
  const proc = join(dir, "proc");
  const value = (name: string) => readFileSync(join(proc, "sys", ...name.split(".")), "utf8").trim();
  const set = (name: string, v: string) => {
    const path = join(proc, "sys", ...name.split("."));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${v}\n`);
  };
  set("kernel.core_pattern", "core");
  set("net.ipv4.tcp_fin_timeout", "30");
  set("kernel.osrelease", "6.1.0-18-amd64");
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A journal as sockdoc writes it: one applied batch setting name from old to new. */
  function journalOf(path: string, name: string, old: string, now: string, mode = 0o640): string {
    const base = {
      v: 1,
      time: "2026-01-01T00:00:00.000Z",
      batch: "20260101T000000Z-f00d",
      host: "h",
      user: { uid: 0, name: "root", sudoUser: null },
    };
    const lines = [
      { ...base, action: "apply", name, old, new: now, where: join(proc, "sys"), netns: null, of: null },
      { ...base, action: "result", name, outcome: "applied", error: null },
    ];
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(""), { mode });
    chmodSync(path, mode); // the umask may have taken bits away
    return path;
  }

  it("refuses a journal naming kernel.core_pattern (exit 2, one line): nothing written, no record added", () => {
    const journal = journalOf(join(dir, "evil", "j.jsonl"), "kernel.core_pattern", "|/tmp/evil %p", "core");
    const before = readFileSync(journal, "utf8");
    for (const yes of [[], ["--yes"]]) {
      const r = sockdoc(["tune", "rollback", "--proc-root", proc, "--journal", journal, ...yes]);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        "sockdoc: rollback of batch 20260101T000000Z-f00d: refusing kernel.core_pattern: not one of the " +
          "settings sockdoc tunes (see `sockdoc tune apply --help`); add --force to write it anyway; " +
          "nothing was changed\n",
      );
      assert.equal(value("kernel.core_pattern"), "core");
      assert.equal(readFileSync(journal, "utf8"), before);
      assert.equal(existsSync(`${journal}.lock`), false);
    }
  });

  it("with --force, as apply: the rule is apply's (written in the fake tree only)", () => {
    const journal = journalOf(join(dir, "forced", "j.jsonl"), "kernel.core_pattern", "|/tmp/evil %p", "core");
    const r = sockdoc(["tune", "rollback", "--proc-root", proc, "--journal", journal, "--yes", "--force"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(value("kernel.core_pattern"), "|/tmp/evil %p");
    set("kernel.core_pattern", "core");
  });

  const untrusted: Array<[string, () => string, RegExp]> = [
    [
      "a journal anyone can write (0666)",
      () => journalOf(join(dir, "m666", "j.jsonl"), "net.ipv4.tcp_fin_timeout", "60", "30", 0o666),
      /: it is writable by group and others \(mode 0666\), so rollback could be made to write, as root, values someone else chose; if its content is yours: chmod go-w \S+$/,
    ],
    [
      "a journal in a directory anyone can write (0777)",
      () => {
        const j = journalOf(join(dir, "d777", "j.jsonl"), "net.ipv4.tcp_fin_timeout", "60", "30");
        chmodSync(join(dir, "d777"), 0o777);
        return j;
      },
      /: its directory \S+d777 is writable by group and others \(mode 0777\), .*keep journals in a directory only root can write/,
    ],
  ];
  if (process.geteuid?.() === 0) {
    untrusted.push([
      "a journal owned by another user",
      () => {
        const j = journalOf(join(dir, "nobody", "j.jsonl"), "net.ipv4.tcp_fin_timeout", "60", "30");
        chownSync(j, 65534, 65534);
        return j;
      },
      /: it belongs to uid 65534, not root, .*: chown root \S+$/,
    ]);
  }
  for (const [what, make, message] of untrusted) {
    it(`refuses ${what}: exit 3, one line, nothing written`, () => {
      const journal = make();
      for (const yes of [[], ["--yes"]]) {
        const r = sockdoc(["tune", "rollback", "--proc-root", proc, "--journal", journal, ...yes]);
        assert.equal(r.status, 3, r.stderr);
        assert.equal(r.stdout, "");
        assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
        assert.ok(r.stderr.startsWith(`sockdoc: refusing the journal ${journal}`), r.stderr);
        assert.match(r.stderr.trimEnd(), message);
        assert.equal(value("net.ipv4.tcp_fin_timeout"), "30", "not rolled back");
        assert.equal(existsSync(`${journal}.lock`), false);
      }
    });
  }

  it("apply refuses up front a journal rollback would refuse (a directory anyone can write)", () => {
    const open = join(dir, "open-dir");
    mkdirSync(open);
    chmodSync(open, 0o1777);
    const journal = join(open, "j.jsonl");
    const r = sockdoc([
      "tune",
      "apply",
      "net.ipv4.tcp_fin_timeout=45",
      "--proc-root",
      proc,
      "--journal",
      journal,
      "--yes",
    ]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(
      r.stderr,
      /^sockdoc: refusing the journal \S+: its directory \S+ is writable by group and others \(mode 1777\)/,
    );
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "30");
    assert.equal(existsSync(journal), false);
    assert.equal(existsSync(`${journal}.lock`), false);
  });

  it("a journal only root can write still rolls back", () => {
    const journal = journalOf(join(dir, "good", "j.jsonl"), "net.ipv4.tcp_fin_timeout", "60", "30", 0o600);
    const r = sockdoc(["tune", "rollback", "--proc-root", proc, "--journal", journal, "--yes"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(value("net.ipv4.tcp_fin_timeout"), "60");
  });
});
