/**
 * A database watch cannot use: not a database (corrupt), read-only, locked
 * by another process, a full disk. One line on stderr, exit 3, and what was
 * written before stays readable.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { isRoot, sockdoc, sockdocBin } from "../../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "sockdoc-watch-err-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, pattern);
}

describe("watch and history on a database they cannot use", () => {
  it("a corrupt file: exit 3 and one line, from watch and from history", () => {
    const db = join(dir, "corrupt.db");
    writeFileSync(db, Buffer.alloc(8192, 0x5a));
    const w = sockdoc(["watch", "--db", db, "--count", "1", "--interval", "0.1"]);
    assert.equal(w.status, 3, w.stderr);
    oneLine(w.stderr, /history database .*corrupt\.db is not a sockdoc database or is corrupt/);
    const h = sockdoc(["history", "--db", db]);
    assert.equal(h.status, 3, h.stderr);
    oneLine(h.stderr, /corrupt\.db is not a sockdoc database or is corrupt/);
  });

  it("a missing file: history says so in one line, exit 3", () => {
    const h = sockdoc(["history", "--db", join(dir, "nothing.db")]);
    assert.equal(h.status, 3, h.stderr);
    oneLine(h.stderr, /nothing\.db cannot be opened/);
  });

  it("a read-only database: exit 3, one line, the samples already there kept", () => {
    const sub = join(dir, "ro");
    mkdirSync(sub);
    const db = join(sub, "h.db");
    const first = sockdoc(["watch", "--db", db, "--count", "1", "--interval", "0.1"]);
    assert.equal(first.status, 0, first.stderr);
    // Root ignores file modes: a read-only bind mount in a mount namespace of its own instead.
    const r = isRoot
      ? spawnSync(
          "unshare",
          [
            "-m",
            "sh",
            "-c",
            `mount --bind -o ro "$1" "$1" && exec "$2" watch --db "$1/h.db" --count 1`,
            "sh",
            sub,
            sockdocBin,
          ],
          { encoding: "utf8" },
        )
      : (chmodSync(db, 0o444),
        chmodSync(sub, 0o555),
        spawnSync(sockdocBin, ["watch", "--db", db, "--count", "1"], { encoding: "utf8" }));
    if (!isRoot) chmodSync(sub, 0o755);
    assert.equal(r.status, 3, r.stderr);
    oneLine(r.stderr, /history database .*h\.db (is read-only|cannot be opened|: not writable)/);
    const h = sockdoc(["history", "--db", db, "--json"]);
    assert.equal(h.status, 0, h.stderr);
    assert.equal((JSON.parse(h.stdout) as { rawSamples: number }).rawSamples, 1);
  });

  it("a database another process keeps locked: exit 3, one line", () => {
    const db = join(dir, "locked.db");
    const first = sockdoc(["watch", "--db", db, "--count", "1", "--interval", "0.1"]);
    assert.equal(first.status, 0, first.stderr);
    const holder = new Database(db);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const r = sockdoc(["watch", "--db", db, "--count", "1"]);
      assert.equal(r.status, 3, r.stderr);
      oneLine(r.stderr, /locked\.db is locked by another process/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it(
    "a full disk: exit 3, one line, the samples written before it readable",
    { skip: isRoot ? false : "needs root to mount a small tmpfs" },
    () => {
      const sub = join(dir, "full");
      mkdirSync(sub);
      // A 1 MiB tmpfs in a mount namespace of its own, filled but for 64 KiB.
      const script = [
        'mount -t tmpfs -o size=1m tmpfs "$1"',
        '"$2" watch --db "$1/h.db" --count 1 --interval 0.1 || exit 90',
        'cat /dev/zero > "$1/filler" 2>/dev/null; truncate -s -64k "$1/filler"',
        '"$2" watch --db "$1/h.db" --count 100 --interval 0.1 2> "$1/err"; echo "status=$?"',
        'cat "$1/err"',
        'rm "$1/filler"',
        '"$2" history --db "$1/h.db" --json',
      ].join("\n");
      const r = spawnSync("unshare", ["-m", "sh", "-c", script, "sh", sub, sockdocBin], { encoding: "utf8" });
      const out = r.stdout;
      assert.match(out, /^status=3$/m, out + r.stderr);
      const errLines = out.split("\n").filter((l) => l.startsWith("sockdoc:"));
      assert.equal(errLines.length, 1, out);
      assert.match(errLines[0]!, /h\.db cannot grow: the disk is full/);
      const doc = JSON.parse(out.slice(out.indexOf("{"))) as { rawSamples: number };
      assert.ok(doc.rawSamples >= 1, out);
    },
  );
});

describe("ending a watch", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} ends it after the sample in progress, exit 0, no error, the samples kept`, async () => {
      const db = join(dir, `${signal}.db`);
      const child = spawn(sockdocBin, ["watch", "--db", db, "--interval", "0.2"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      // Until a sample is in the file (history reads it while watch runs: WAL).
      for (let i = 0; i < 100; i++) {
        const h = sockdoc(["history", "--db", db, "--json"]);
        if (h.status === 0 && (JSON.parse(h.stdout) as { rawSamples: number }).rawSamples >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const t0 = Date.now();
      child.kill(signal);
      assert.equal(await exited, 0, stderr);
      assert.ok(Date.now() - t0 < 5000, "ended promptly");
      // Only event lines (the host's own CLOSE_WAIT may come and go meanwhile) and, on a busy host
      // where a sample outlasts the 0.2 s, that warning once: no error, no stack trace.
      const slow = /^sockdoc: warning: a sample took \d+ ms, longer than --interval 0\.2 s: /;
      const lines = stderr.split("\n").filter(Boolean);
      assert.ok(lines.filter((l) => slow.test(l)).length <= 1, stderr);
      for (const line of lines.filter((l) => !slow.test(l)))
        assert.match(line, /^sockdoc: \d{4}-\d\d-\d\dT[\d:.]+Z (\[[^\]]*\] )?[a-z-]+: /, stderr);
      const h = sockdoc(["history", "--db", db, "--json"]);
      assert.equal(h.status, 0, h.stderr);
      assert.ok((JSON.parse(h.stdout) as { rawSamples: number }).rawSamples >= 2);
    });
  }
});
