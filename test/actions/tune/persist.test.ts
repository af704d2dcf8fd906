/**
 * The --persist file: its content (kept lines, replaced keys, added keys),
 * the atomic write with the previous content journaled, and the warnings
 * when it would not hold at boot.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeFileAtomic } from "../../../src/actions/tune/atomic-write.js";
import { persistWarnings, readOptional, replaceFile } from "../../../src/actions/tune/persist.js";
import { InputError } from "../../../src/model/errors.js";
import { persistFile } from "../../../src/cli/tune/apply-text.js";
import { persistText } from "../../../src/actions/tune/persist-text.js";
import { readSysctlConfig } from "../../../src/sources/sysctl-conf.js";
import { context, MemoryJournal } from "./fake-proc.js";

describe("persistText", () => {
  it("starts a new file with a header that says who wrote it", () => {
    const text = persistText(null, [["net.ipv4.tcp_tw_reuse", "1"]]);
    assert.match(text, /^# Written by `sockdoc tune apply --persist`/);
    assert.ok(text.endsWith("\nnet.ipv4.tcp_tw_reuse = 1\n"));
  });

  it("replaces the key's lines in place, keeps the rest, appends new keys", () => {
    const previous = "# mine\nnet/ipv4/tcp_tw_reuse=2\nnet.core.somaxconn = 1024\n";
    assert.equal(
      persistText(previous, [
        ["net.ipv4.tcp_tw_reuse", "1"],
        ["net.ipv4.ip_local_port_range", "10240 65535"],
      ]),
      "# mine\nnet.ipv4.tcp_tw_reuse = 1\nnet.core.somaxconn = 1024\nnet.ipv4.ip_local_port_range = 10240 65535\n",
    );
  });
});

describe("replaceFile and persistWarnings", () => {
  const root = mkdtempSync(join(tmpdir(), "sockdoc-tune-persist-"));
  const file = join(root, "etc", "sysctl.d", "90-sockdoc.conf");

  it("journals the previous content (null: none) and writes the new", () => {
    const j = new MemoryJournal();
    replaceFile(file, "a.b = 1\n", j, context(), null);
    assert.equal(readFileSync(file, "utf8"), "a.b = 1\n");
    replaceFile(file, "a.b = 2\n", j, context(), null);
    assert.deepEqual(
      j.records.map((r) => (r.action === "persist" ? [r.previous, r.content] : null)),
      [
        [null, "a.b = 1\n"],
        ["a.b = 1\n", "a.b = 2\n"],
      ],
    );
    replaceFile(file, null, j, context(), "A");
    assert.equal(existsSync(file), false);
  });

  it("warns when a later file wins at boot, or the file is not read at all", () => {
    writeFileSync(file, "net.core.somaxconn = 8192\nnet.ipv4.tcp_tw_reuse = 1\n");
    writeFileSync(join(root, "etc", "sysctl.conf"), "net.core.somaxconn = 128\n");
    const config = readSysctlConfig(root);
    assert.deepEqual(persistWarnings(config, file, ["net.core.somaxconn", "net.ipv4.tcp_tw_reuse"]), [
      `${join(root, "etc", "sysctl.conf")}:1 also sets net.core.somaxconn (= 128) and is loaded later, so it wins at boot`,
    ]);
    mkdirSync(join(root, "opt"));
    assert.match(
      persistWarnings(config, join(root, "opt", "x.conf"), ["a.b"])[0] ?? "",
      /is not read at boot/,
    );
  });

  it("writes through a symlink (Debian's 99-sysctl.conf -> ../sysctl.conf), keeping the link", () => {
    const etc = join(root, "etc");
    writeFileSync(join(etc, "sysctl.conf"), "net.core.somaxconn = 128\n");
    const link = join(etc, "sysctl.d", "99-sysctl.conf");
    symlinkSync("../sysctl.conf", link);
    const j = new MemoryJournal();
    replaceFile(link, "net.core.somaxconn = 4096\n", j, context(), null);
    assert.ok(lstatSync(link).isSymbolicLink(), "the link was replaced by a file");
    assert.equal(readFileSync(join(etc, "sysctl.conf"), "utf8"), "net.core.somaxconn = 4096\n");
    const rec = j.records[0];
    assert.deepEqual(rec?.action === "persist" ? [rec.file, rec.previous] : null, [
      link,
      "net.core.somaxconn = 128\n",
    ]);
    // The link and its target are one file: what the link sets is not "overridden" by it.
    assert.deepEqual(persistWarnings(readSysctlConfig(root), link, ["net.core.somaxconn"]), []);
    rmSync(link);
  });

  it("keeps the old file's mode (and owner, as root), and leaves no temp file", () => {
    const f = join(root, "etc", "sysctl.d", "80-mode.conf");
    writeFileSync(f, "a.b = 1\n");
    chmodSync(f, 0o600);
    const root0 = process.geteuid?.() === 0;
    if (root0) chownSync(f, 65534, 65534);
    replaceFile(f, "a.b = 2\n", new MemoryJournal(), context(), null);
    const st = statSync(f);
    assert.equal(st.mode & 0o7777, 0o600);
    if (root0) assert.deepEqual([st.uid, st.gid], [65534, 65534]);
    const fresh = join(root, "etc", "sysctl.d", "81-new.conf");
    replaceFile(fresh, "a.b = 3\n", new MemoryJournal(), context(), null);
    assert.equal(statSync(fresh).mode & 0o7777, 0o644);
    assert.deepEqual(
      readdirSync(join(root, "etc", "sysctl.d")).filter((n) => n.includes("sockdoc-")),
      [],
    );
    rmSync(f);
    rmSync(fresh);
  });

  it("a write that fails removes its temp file and throws", () => {
    const dir = join(root, "etc", "sysctl.d", "a-dir.conf");
    mkdirSync(dir);
    assert.throws(() => writeFileAtomic(dir, "x = 1\n"), { code: "EISDIR" });
    assert.deepEqual(
      readdirSync(join(root, "etc", "sysctl.d")).filter((n) => n.includes("sockdoc-")),
      [],
    );
    // Read first: a directory is a one-line InputError naming it, not an internal error.
    assert.throws(
      () => readOptional(dir),
      (err: unknown) =>
        err instanceof InputError && err.message === `${dir}: it is a directory, not a file (EISDIR)`,
    );
    rmSync(dir, { recursive: true });
  });

  it("a relative --persist path is made absolute before it is journaled", () => {
    assert.equal(persistFile("x.conf"), join(process.cwd(), "x.conf"));
    const here = process.cwd();
    process.chdir(join(root, "etc"));
    try {
      const j = new MemoryJournal();
      replaceFile("rel.conf", "a.b = 1\n", j, context(), null);
      const rec = j.records[0];
      assert.equal(rec?.action === "persist" ? rec.file : null, join(root, "etc", "rel.conf"));
    } finally {
      process.chdir(here);
    }
  });

  it("cleans up", () => rmSync(root, { recursive: true }));
});
