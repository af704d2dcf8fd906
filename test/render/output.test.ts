import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../support/run.js";

/** Runs emitJsonWithArray / emitNdjson in a child whose stdout is a pipe, as when a script reads sockdoc. */
function emitted(call: string): string {
  const output = join(repoRoot, "dist", "src", "render", "output.js");
  const script = `import * as o from ${JSON.stringify(output)};
    const items = Array.from({ length: 4321 }, (_, i) => ({ n: i, s: "x" + i }));
    ${call}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("streamed JSON output", () => {
  it("writes the same document as one JSON.stringify, in chunks", () => {
    const out = emitted(
      `o.emitJsonWithArray({ schema: "t/v1", total: items.length }, "items", items, (i) => ({ ...i, d: i.n * 2 }));`,
    );
    const items = Array.from({ length: 4321 }, (_, i) => ({ n: i, s: `x${i}`, d: i * 2 }));
    assert.equal(out, `${JSON.stringify({ schema: "t/v1", total: 4321, items })}\n`);
  });

  it("writes an empty array and ndjson lines", () => {
    assert.equal(emitted(`o.emitJsonWithArray({ a: 1 }, "items", [], (i) => i);`), '{"a":1,"items":[]}\n');
    const lines = emitted("o.emitNdjson(items);").split("\n");
    assert.equal(lines.length, 4322);
    assert.deepEqual(JSON.parse(lines[4320]!), { n: 4320, s: "x4320" });
    assert.equal(lines[4321], "");
  });
});
