/**
 * Golden outputs: what bin/sockdoc prints today (stdout, stderr, exit code) for
 * every reporting command on fixture /proc trees, captures and stdin, compared
 * byte for byte with test/fixtures/golden/<case>.out. They pin the user-visible
 * output across refactors: a change shows as a diff of the first lines that
 * differ. After a deliberate change of output:
 *   UPDATE_GOLDEN=1 node --test dist/test/golden/golden.test.js
 * rewrites the files (review them with git diff before committing).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdocBin } from "../support/run.js";
import { type GoldenCase, GOLDEN_CASES } from "./cases.js";
import { firstDifference, goldenText, normalize, type Outcome } from "./golden-file.js";

const goldenDir = join(repoRoot, "test", "fixtures", "golden");
const updating = process.env.UPDATE_GOLDEN === "1";

/** Only what the output may depend on: a fixed width, locale and zone, no TTY. */
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  COLUMNS: "80",
  LC_ALL: "C",
  TZ: "UTC",
};

/** Runs one case from the repository root (its paths are relative to it), stdin piped from its file. */
function run(c: GoldenCase, timeoutMs = 60_000): Promise<Outcome> {
  const input = c.stdin === undefined ? "" : readFileSync(resolvePath(repoRoot, c.stdin));
  return new Promise((resolve, reject) => {
    const child = spawn(sockdocBin, c.args, { cwd: repoRoot, env, stdio: ["pipe", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    // A command that does not read stdin may exit first: ignore the broken pipe.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

describe("golden outputs", { concurrency: 2 }, () => {
  it("each case has a unique name and every golden file a case", () => {
    const names = GOLDEN_CASES.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, "duplicate case names");
    if (updating) return;
    const files = existsSync(goldenDir) ? readdirSync(goldenDir).filter((f) => f.endsWith(".out")) : [];
    const stale = files.filter((f) => !names.includes(f.slice(0, -".out".length)));
    assert.deepEqual(stale, [], "golden files without a case (delete them)");
  });

  for (const c of GOLDEN_CASES) {
    it(c.name, async () => {
      const outcome = await run(c);
      const command = c.args.join(" ") + (c.stdin === undefined ? "" : ` < ${c.stdin}`);
      const actual = normalize(goldenText(command, outcome), repoRoot);
      const file = join(goldenDir, `${c.name}.out`);
      if (updating) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, actual);
        return;
      }
      assert.ok(existsSync(file), `${file} is missing; UPDATE_GOLDEN=1 writes it`);
      const diff = firstDifference(readFileSync(file, "utf8"), actual);
      if (diff !== null) assert.fail(`sockdoc ${command}: output differs from ${file}\n${diff}`);
    });
  }
});
