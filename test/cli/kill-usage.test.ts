/**
 * `sockdoc kill` before any socket is read: bad flags, a missing addon, the
 * help text. No root needed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sockdoc } from "../support/run.js";

describe("sockdoc kill: usage and the addon", () => {
  it("exits 3 with a clear line when the native addon is missing (no /proc fallback)", () => {
    const r = sockdoc(["kill", "state", "close-wait", "sport", "=", ":1"], {
      env: { SOCKDOC_NO_NATIVE: "1" },
    });
    assert.equal(r.status, 3);
    assert.match(
      r.stderr,
      /^sockdoc: kill needs the native addon \(netlink SOCK_DESTROY; \/proc cannot close sockets\): disabled by SOCKDOC_NO_NATIVE=1; build it with "npm run install"\n$/,
    );
    assert.equal(r.stdout, "");
  });

  const usage: Array<[string[], RegExp]> = [
    [["state", "close-wait", "--yes", "--dry-run"], /--yes and --dry-run contradict/],
    [["state", "close-wait", "--max", "0"], /--max wants a whole number of at least 1, not "0"/],
    [["state", "bogus-state"], /.+/],
    [[], /refusing to kill without a filter/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 for: kill ${args.join(" ")}`, () => {
      const r = sockdoc(["kill", ...args], { env: { SOCKDOC_NO_NATIVE: "1" } });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, "one line");
    });
  }

  it("documents its exit codes and outcomes in --help", () => {
    const r = sockdoc(["kill", "--help"]);
    assert.equal(r.status, 0);
    for (const word of [
      "Exit status: 0",
      "1 some were not",
      "2 refused",
      "3 native addon",
      "4 --yes without CAP_NET_ADMIN",
    ]) {
      assert.ok(r.stdout.includes(word), `help lacks "${word}"`);
    }
    for (const outcome of ["closed", "gone", "unsupported", "denied", "failed", "would-close"]) {
      assert.match(r.stdout, new RegExp(`\\b${outcome}\\b`));
    }
  });
});
