/**
 * A sosreport as a tar archive (.tar, .tar.gz, .tar.xz) or a zip gives the
 * same report as its folder; tar members that would land outside the
 * archive's folder are left out, a zip holding one is refused; the size is
 * capped; nothing is left in the temp dir.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { memberProblem, parseTarListing } from "../../src/capture/archive-members.js";
import { repoRoot, sockdoc } from "../support/run.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-archive-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

const folder = join(work, "sosreport-host1-2026");
cpSync(join(repoRoot, "test", "fixtures", "capture", "sosreport-min"), folder, {
  recursive: true,
  verbatimSymlinks: true,
});
rmSync(join(folder, "README.md"));

function zip(args: string[], cwd = work): void {
  const r = spawnSync("zip", ["-q", ...args], { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** A zip written by Python's zipfile: members with any name, which zip(1) would not store. */
function zipWith(name: string, members: Array<[string, string]>): string {
  const path = join(work, name);
  const script = [
    "import json, sys, zipfile",
    "z = zipfile.ZipFile(sys.argv[1], 'w')",
    "for n, t in json.loads(sys.argv[2]): z.writestr(n, t)",
    "z.close()",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, path, JSON.stringify(members)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return path;
}

function tar(args: string[]): void {
  const r = spawnSync("tar", args, { cwd: work, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** A command's JSON document without what names the input (source, warnings) or rounds its time (takenAt). */
function report(args: string[]): Record<string, unknown> {
  const r = sockdoc([...args, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  delete doc.source;
  delete doc.warnings;
  delete doc.takenAt;
  return doc;
}

function leftovers(): string[] {
  return readdirSync(tmpdir()).filter(
    (n) => n.startsWith("sockdoc-archive-") && !n.startsWith("sockdoc-archive-test-"),
  );
}

/** summary, closewait and timewait of each archive (in work) give the folder's JSON; no temp folder is left. */
function readsAsFolder(names: string[]): void {
  for (const command of ["summary", "closewait", "timewait"]) {
    for (const name of names) {
      it(`${command} --input ${name}`, () => {
        const before = leftovers();
        assert.deepEqual(
          report([command, "--input", join(work, name)]),
          report([command, "--input", folder]),
        );
        assert.deepEqual(leftovers(), before, "the temp folder is removed");
      });
    }
  }
}

describe("a sosreport archive reads as its folder", () => {
  const archives: Array<[string, string]> = [
    ["sos.tar", "-cf"],
    ["sos.tar.gz", "-czf"],
    ["sos.tar.xz", "-cJf"],
  ];
  for (const [name, flag] of archives) tar([flag, name, "sosreport-host1-2026"]);

  readsAsFolder(archives.map(([name]) => name));

  it("says which archive and which file inside it was read", () => {
    const r = sockdoc(["closewait", "--input", join(work, "sos.tar.xz")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /From a capture of\s+\S*sos\.tar\.xz\/sos_commands\/networking\/ss_-peaonmi/);
  });

  it("a single capture file in an archive is read as that file", () => {
    writeFileSync(join(work, "netstat.txt"), "tcp 0 0 10.0.0.1:22 10.0.0.2:5000 CLOSE_WAIT\n");
    tar(["-czf", "one.tar.gz", "netstat.txt"]);
    const r = sockdoc(["summary", "--input", join(work, "one.tar.gz"), "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).states, { CLOSE_WAIT: 1 });
  });
});

describe("a sosreport zip reads as its folder", () => {
  // -y keeps the folder's own links (proc/net -> self/net) as links, checked inside.
  zip(["-ry", "sos.zip", "sosreport-host1-2026"]);
  zip(["-r", "sos-followed.zip", "sosreport-host1-2026"]);
  readsAsFolder(["sos.zip", "sos-followed.zip"]);

  it("says which zip and which file inside it was read", () => {
    const r = sockdoc(["closewait", "--input", join(work, "sos.zip")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /From a capture of\s+\S*sos\.zip\/sos_commands\/networking\/ss_-peaonmi/);
  });

  it("a single capture file in a zip is read as that file", () => {
    const path = zipWith("one.zip", [["netstat.txt", "tcp 0 0 10.0.0.1:22 10.0.0.2:5000 CLOSE_WAIT\n"]]);
    const r = sockdoc(["summary", "--input", path, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).states, { CLOSE_WAIT: 1 });
  });
});

describe("a zip with a member that would land outside, or too big, is refused", () => {
  const listing = "sosreport-x/sos_commands/networking/netstat_-W_-neopa";
  const row = "tcp 0 0 10.0.0.1:22 10.0.0.2:5000 CLOSE_WAIT\n";
  const refused = (path: string, why: RegExp, extra: string[] = []) => {
    const before = leftovers();
    const r = sockdoc(["summary", "--input", path, ...extra]);
    assert.equal(r.status, 3, r.stdout);
    assert.match(r.stderr, why);
    assert.equal(r.stderr.split("\n").length, 2, r.stderr);
    assert.equal(r.stdout, "");
    assert.deepEqual(leftovers(), before);
  };

  it("a ../ member", () => {
    const path = zipWith("up.zip", [
      [listing, row],
      ["../escaped", "x\n"],
    ]);
    refused(path, /^sockdoc: \S+up\.zip: refused, "\.\.\/escaped": a path outside the archive$/m);
    assert.equal(readdirSync(tmpdir()).includes("escaped"), false);
  });

  it("a member with an absolute path", () => {
    const path = zipWith("abs.zip", [
      [listing, row],
      ["/tmp/sockdoc-zip-abs", "x\n"],
    ]);
    refused(path, /^sockdoc: \S+abs\.zip: refused, "\/tmp\/sockdoc-zip-abs": a path outside the archive$/m);
  });

  it("a symlink pointing outside", () => {
    const dir = join(work, "zip-link");
    cpSync(folder, join(dir, "sosreport-link"), { recursive: true, verbatimSymlinks: true });
    symlinkSync("/etc", join(dir, "sosreport-link", "etc-link"));
    zip(["-ry", join(work, "link.zip"), "sosreport-link"], dir);
    refused(
      join(work, "link.zip"),
      /link\.zip: refused, "sosreport-link\/etc-link": a link to "\/etc", outside/,
    );
  });

  it("a zip bomb: its declared size over 4 x --input-limit, before extracting", () => {
    const r = spawnSync(
      "sh",
      ["-c", "head -c 20000000 /dev/zero > zeros && zip -q bomb.zip zeros && rm zeros"],
      {
        cwd: work,
      },
    );
    assert.equal(r.status, 0);
    refused(join(work, "bomb.zip"), /bomb\.zip: over 4 MiB once extracted, not extracted/, [
      "--input-limit",
      "1M",
    ]);
  });
});

describe("a zip member whose header understates its size", () => {
  it("stops at the cap: one line, exit 3", () => {
    const path = join(work, "lie.zip");
    const script = [
      "import struct, sys, zipfile",
      "z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)",
      "z.writestr('a/netstat.txt', 'tcp 0 0 10.0.0.1:22 10.0.0.2:5000 CLOSE_WAIT\\n' * 200000)",
      "z.close()",
      "b = bytearray(open(sys.argv[1], 'rb').read())",
      "struct.pack_into('<I', b, 22, 100)",
      "struct.pack_into('<I', b, b.find(b'PK\\x01\\x02') + 24, 100)",
      "open(sys.argv[1], 'wb').write(b)",
    ].join("\n");
    const made = spawnSync("python3", ["-c", script, path], { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const before = leftovers();
    const r = sockdoc(["summary", "--input", path, "--input-limit", "1M"]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^sockdoc: \S+lie\.zip: a member is larger than its header says, not read\n$/);
    assert.deepEqual(leftovers(), before);
  });
});

describe("archive members that would land outside", () => {
  it("are left out, named in one warning; the rest is read", () => {
    const evil = join(work, "evil");
    cpSync(folder, join(evil, "sosreport-evil"), { recursive: true, verbatimSymlinks: true });
    symlinkSync("/etc", join(evil, "sosreport-evil", "abs-link"));
    symlinkSync("../../..", join(evil, "sosreport-evil", "up-link"));
    writeFileSync(join(evil, "payload"), "x\n");
    const r = spawnSync(
      "tar",
      [
        "-cPf",
        join(work, "evil.tar"),
        "-C",
        evil,
        "sosreport-evil",
        "payload",
        "--transform",
        "s,^payload$,../escaped,",
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = sockdoc(["summary", "--input", join(work, "evil.tar")]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stderr, /evil\.tar: 3 members not extracted \(/);
    assert.match(out.stderr, /"\.\.\/escaped": a path outside the archive/);
    assert.match(out.stderr, /abs-link": a link to "\/etc", outside the archive/);
    assert.match(out.stderr, /up-link": a link to "\.\.\/\.\.\/\.\.", outside the archive/);
    assert.match(out.stdout, /total\s+\d+/);
  });

  it("the checks, member by member", () => {
    const listing = parseTarListing(
      [
        "-rw-r--r-- 0/0     10 2026-12-05 03:00 a/b",
        "-rw-r--r-- 0/0     10 2026-12-05 03:00 /etc/passwd",
        "-rw-r--r-- 0/0     10 2026-12-05 03:00 a/../../x",
        "lrwxrwxrwx 0/0      0 2026-12-05 03:00 proc/net -> self/net",
        "lrwxrwxrwx 0/0      0 2026-12-05 03:00 a/up -> ../..",
        "hrw-r--r-- 0/0      0 2026-12-05 03:00 a/h link to a/b",
        "hrw-r--r-- 0/0      0 2026-12-05 03:00 a/h2 link to ../x",
        "crw-r--r-- 0/0    1,3 2026-12-05 03:00 dev/null",
      ].join("\n"),
    );
    assert.deepEqual(
      listing.map((m) => (m === null ? "unread" : memberProblem(m) === null ? "ok" : "out")),
      ["ok", "out", "out", "ok", "out", "ok", "out", "unread"],
    );
  });
});

describe("archive limits", () => {
  it("refuses an archive over 4 x --input-limit once extracted, before extracting it", () => {
    writeFileSync(join(work, "big.txt"), "tcp 0 0 10.0.0.1:22 10.0.0.2:5000 CLOSE_WAIT\n".repeat(200));
    tar(["-cJf", "big.tar.xz", "big.txt"]);
    const before = leftovers();
    const r = sockdoc(["summary", "--input", join(work, "big.tar.xz"), "--input-limit", "1K"]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^sockdoc: \S+big\.tar\.xz: over 0 MiB once extracted, not extracted/);
    assert.equal(r.stderr.split("\n").length, 2);
    assert.deepEqual(leftovers(), before);
  });

  it("a compressed file that is no tar archive: exit 3, one line", () => {
    const r = spawnSync("sh", ["-c", `printf 'hello\\n' | gzip > ${join(work, "x.gz")}`]);
    assert.equal(r.status, 0);
    const out = sockdoc(["summary", "--input", join(work, "x.gz")]);
    assert.equal(out.status, 3);
    assert.match(out.stderr, /^sockdoc: \S+x\.gz: no tar archive in it/);
    assert.equal(out.stderr.split("\n").length, 2);
  });
});
