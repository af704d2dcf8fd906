import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  kernelAtLeast,
  parseKernelVersion,
  readHostname,
  readKernelRelease,
} from "../../src/sources/kernel.js";
import { ProcFs } from "../../src/sources/procfs.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const host1 = new ProcFs(join(repoRoot, "test", "fixtures", "proc", "host1"));

describe("kernel", () => {
  const versions: Array<[string, ReturnType<typeof parseKernelVersion>]> = [
    ["6.1.0-18-amd64", { major: 6, minor: 1, patch: 0 }],
    ["4.12", { major: 4, minor: 12, patch: 0 }],
    ["3.10.0-1160.el7.x86_64", { major: 3, minor: 10, patch: 0 }],
    ["5.15.153.1-microsoft-standard-WSL2", { major: 5, minor: 15, patch: 153 }],
    ["6.18.44-fc-v657\n", { major: 6, minor: 18, patch: 44 }],
    ["linux", null],
    ["6", null],
  ];
  for (const [text, expected] of versions) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseKernelVersion(text), expected));
  }

  it("compares versions numerically, not as text", () => {
    assert.equal(kernelAtLeast("4.12.0", "4.12"), true);
    assert.equal(kernelAtLeast("4.9.0-8-amd64", "4.12"), false);
    assert.equal(kernelAtLeast("4.18.0-553.el8", "4.12"), true);
    assert.equal(kernelAtLeast({ major: 10, minor: 0, patch: 0 }, "6.14"), true);
    assert.equal(kernelAtLeast("6.14.0", "6.14.1"), false);
    assert.equal(kernelAtLeast("unknown", "4.12"), false);
    assert.equal(kernelAtLeast(null, "4.12"), false);
    assert.throws(() => kernelAtLeast("6.1", "new"));
  });

  it("reads release and hostname under the root", () => {
    assert.equal(readKernelRelease(host1), "6.1.0-18-amd64");
    assert.equal(readHostname(host1), "host1");
    assert.equal(readKernelRelease(new ProcFs("/nonexistent")), null);
    assert.equal(readKernelRelease(new ProcFs()), readFileSync("/proc/sys/kernel/osrelease", "utf8").trim());
  });
});
