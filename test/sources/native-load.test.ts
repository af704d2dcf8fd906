import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadAddonFile, loadNative } from "../../src/sources/native.js";

describe("loadAddonFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-addon-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses an addon built from older sources, naming what it lacks and how to rebuild", () => {
    // An addon from before InetDiagStream: it had the dump as a plain function only.
    const old = join(dir, "old.cjs");
    writeFileSync(
      old,
      "module.exports = { inetDiagDump() {}, inetDiagDumpMany() {}, inetDiagDestroy() {}, scanSocketFds() {} };",
    );
    const r = loadAddonFile(old);
    assert.equal(r.addon, null);
    assert.match(
      r.error ?? "",
      /out of date \(no InetDiagStream, inetDiagDestroyBatchAsync, readFilesInNetns, scanSocketFdsAsync, BpfStateTracer\); run "npm run install"/,
    );
  });

  it("says why a file that does not load is not used", () => {
    const broken = join(dir, "broken.cjs");
    writeFileSync(broken, "throw new Error('wrong ELF class');");
    const r = loadAddonFile(broken);
    assert.equal(r.addon, null);
    assert.match(r.error ?? "", /^cannot load .*broken\.cjs: wrong ELF class$/);
  });

  it("takes the addon this checkout built", { skip: loadNative().addon ? false : "addon not built" }, () => {
    const { addon } = loadNative();
    assert.equal(typeof addon?.InetDiagStream, "function");
  });
});
