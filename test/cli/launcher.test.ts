/**
 * bin/sockdoc and dist/start.cjs: a checkout without its build says so in one
 * line (exit 3), and the bundle start.cjs runs through vm.Script holds no
 * dynamic import() (vm.Script without importModuleDynamically would fail it
 * at run time, only on the path that reaches it).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdocBin } from "../support/run.js";

describe("the launcher", () => {
  for (const missing of ["start.cjs", "sockdoc.cjs"]) {
    it(`says in one line that dist/${missing} is missing, exit 3`, () => {
      const dir = mkdtempSync(join(tmpdir(), "sockdoc-launcher-"));
      try {
        mkdirSync(join(dir, "bin"));
        mkdirSync(join(dir, "dist"));
        copyFileSync(sockdocBin, join(dir, "bin", "sockdoc"));
        for (const file of ["start.cjs", "sockdoc.cjs"]) {
          if (file !== missing) copyFileSync(join(repoRoot, "dist", file), join(dir, "dist", file));
        }
        const r = spawnSync(join(dir, "bin", "sockdoc"), ["--version"], { encoding: "utf8" });
        assert.equal(r.status, 3, r.stderr);
        assert.match(
          r.stderr,
          new RegExp(`^sockdoc: cannot start \\(.*dist/${missing.replace(".", "\\.")} is missing\\)`),
        );
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("runs a bundle with no dynamic import()", () => {
    const bundle = readFileSync(join(repoRoot, "dist", "sockdoc.cjs"), "utf8");
    assert.doesNotMatch(bundle, /\bimport\(/);
  });
});
