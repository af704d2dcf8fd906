/**
 * The metrics list in `sockdoc metrics --help` and in the README's metrics
 * section name exactly the families sockdoc exports (from a /proc fixture
 * tree, where every family is present).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdoc } from "../../support/run.js";

function exported(): Set<string> {
  const r = sockdoc(["metrics", "-p", "--proc-root", join(repoRoot, "test", "fixtures", "proc", "host1")]);
  assert.equal(r.status, 0, r.stderr);
  return new Set([...r.stdout.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

const namesIn = (text: string) =>
  new Set([...text.matchAll(/\bsockdoc_[a-z0-9_]*[a-z0-9]/g)].map((m) => m[0]));

/** The README's "### metrics" section, up to the next heading of its level. */
function readmeSection(): string {
  const text = readFileSync(join(repoRoot, "README.md"), "utf8");
  const start = text.indexOf("### metrics: Prometheus");
  assert.ok(start >= 0, "README has no metrics section");
  const end = text.indexOf("\n### ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe("the metrics list", () => {
  const families = exported();

  it("in sockdoc metrics --help names every family exported, and no other", () => {
    const help = namesIn(sockdoc(["metrics", "--help"]).stdout);
    for (const f of families) assert.ok(help.has(f), `--help lacks ${f}`);
    for (const h of help) assert.ok(families.has(h), `--help names ${h}, which is not exported`);
  });

  it("in the README names every family exported, and no other", () => {
    const readme = namesIn(readmeSection());
    for (const f of families) assert.ok(readme.has(f), `README lacks ${f}`);
    for (const r of readme) assert.ok(families.has(r), `README names ${r}, which is not exported`);
  });
});
