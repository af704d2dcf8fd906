import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { invokedAs, rerunCommand, shellQuote } from "../../../src/actions/kill/rerun-command.js";

describe("shellQuote", () => {
  const cases: Array<[string, string]> = [
    ["state", "state"],
    [":8080", ":8080"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["[::1]", "'[::1]'"],
    ["(", "'('"],
    ["state close-wait sport = :80", "'state close-wait sport = :80'"],
    ["it's", "'it'\\''s'"],
    ["", "''"],
  ];
  for (const [word, want] of cases)
    it(`${JSON.stringify(word)} -> ${want}`, () => assert.equal(shellQuote(word), want));
});

describe("rerunCommand", () => {
  const cases: Array<{ args: string[]; sudo: boolean; want: string }> = [
    {
      args: ["kill", "state", "close-wait", "sport", "=", ":80"],
      sudo: true,
      want: "sudo sockdoc kill state close-wait sport = :80 --yes",
    },
    {
      args: ["kill", "state close-wait", "dst", "[::1]"],
      sudo: false,
      want: "sockdoc kill 'state close-wait' dst '[::1]' --yes",
    },
    {
      args: ["kill", "--dry-run", "state", "time-wait"],
      sudo: false,
      want: "sockdoc kill state time-wait --yes",
    },
    { args: ["kill", "-y", "state", "time-wait"], sudo: true, want: "sudo sockdoc kill -y state time-wait" },
    {
      args: ["--debug", "kill", "state", "close-wait", "--json"],
      sudo: true,
      want: "sudo sockdoc --debug kill state close-wait --json --yes",
    },
  ];
  for (const c of cases) it(c.want, () => assert.equal(rerunCommand("sockdoc", c.args, c.sudo), c.want));
});

describe("invokedAs", () => {
  it("names a script that is not on PATH by its absolute path", () => {
    assert.equal(invokedAs("/opt/x/bin/sockdoc", "/nonexistent"), "/opt/x/bin/sockdoc");
    assert.equal(invokedAs("relative/cli.js", ""), `${process.cwd()}/relative/cli.js`);
  });
  it("says sockdoc when the sockdoc on PATH is the same file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-path-"));
    try {
      const real = join(dir, "real-sockdoc");
      symlinkSync("/bin/sh", real);
      symlinkSync(real, join(dir, "sockdoc"));
      const other = join(dir, "other");
      assert.equal(invokedAs(join(dir, "sockdoc"), `/nonexistent:${dir}`), "sockdoc");
      assert.equal(invokedAs(join(dir, "sockdoc"), other), join(dir, "sockdoc"), "not on PATH");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("says sockdoc when nothing is known", () => assert.equal(invokedAs(undefined), "sockdoc"));
});
