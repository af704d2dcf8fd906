import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stampPathOf } from "../../src/sources/native-file.js";
import { repoRoot, sockdoc } from "../support/run.js";

const BUILT = join(repoRoot, "build", "Release", "sockdoc.node");
const FALLBACK_NOTE =
  /^sockdoc: warning: .* is damaged \(.+\); run "npm run install" to rebuild it; read \/proc\/net\/tcp instead/m;

/** bin/sockdoc summary with the addon taken from path (SOCKDOC_ADDON). */
function summaryWith(path: string) {
  return sockdoc(["summary"], { env: { SOCKDOC_ADDON: path, SOCKDOC_NO_NATIVE: "" } });
}

describe(
  "a damaged addon file falls back to /proc",
  { skip: existsSync(BUILT) ? false : "addon not built" },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-damaged-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const bytes = existsSync(BUILT) ? readFileSync(BUILT) : Buffer.alloc(0);

    it("loads an intact copy (no false alarm)", () => {
      const intact = join(dir, "intact.node");
      copyFileSync(BUILT, intact);
      if (existsSync(stampPathOf(BUILT))) copyFileSync(stampPathOf(BUILT), stampPathOf(intact));
      const r = summaryWith(intact);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /damaged|read \/proc\/net\/tcp instead/);
    });

    // Cut copies without their stamp: the ELF checks alone must catch them
    // (dlopen of these died of SIGBUS, exit 135, without a word).
    for (const size of [1024, 10 * 1024, 100 * 1024, -1]) {
      const length = size < 0 ? bytes.length + size : size;
      it(`refuses a copy cut at ${length} of ${bytes.length} bytes, exit 0 with the note`, () => {
        const cut = join(dir, `cut-${length}.node`);
        writeFileSync(cut, bytes.subarray(0, length));
        const r = summaryWith(cut);
        assert.equal(r.status, 0, `exit ${r.status}, signal-free expected; stderr: ${r.stderr}`);
        assert.match(r.stderr, FALLBACK_NOTE);
        assert.match(r.stdout, /\S/);
      });
    }

    it(
      "refuses a copy with garbage in the middle, by its build stamp",
      {
        skip: existsSync(stampPathOf(BUILT)) ? false : "no build stamp: rebuild the addon (npm run install)",
      },
      () => {
        const garbled = join(dir, "garbled.node");
        const copy = Buffer.from(bytes);
        const middle = copy.length >> 1;
        for (let i = 0; i < 4096; i++) copy[middle - 2048 + i] = (i * 131 + 7) & 0xff;
        writeFileSync(garbled, copy);
        copyFileSync(stampPathOf(BUILT), stampPathOf(garbled));
        const r = summaryWith(garbled);
        assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
        assert.match(r.stderr, FALLBACK_NOTE);
        assert.match(r.stderr, /SHA-256 mismatch/);
      },
    );

    it("says so when SOCKDOC_ADDON names no file", () => {
      const r = summaryWith(join(dir, "missing.node"));
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        /native addon not built \(looked for .*missing\.node\); read \/proc\/net\/tcp instead/,
      );
    });
  },
);
