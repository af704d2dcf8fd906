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

  // Refused before the addon is loaded or anything read: SOCKDOC_NO_NATIVE would otherwise give exit 3.
  const broad: Array<[string[], RegExp]> = [
    [
      ["exclude", "listen"],
      /^filter "exclude listen" leaves out only listeners: it is as broad as no filter/,
    ],
    [["not", "state", "listen"], /^filter "not state listen" leaves out only listeners/],
    [["state", "all", "exclude", "listen"], /^filter "state all exclude listen" leaves out only listeners/],
    [
      ["state", "connected"],
      /^filter "state connected" can match ESTABLISHED sockets with no address or port/,
    ],
    [["state", "synchronized"], /^filter "state synchronized" can match ESTABLISHED sockets/],
    [
      ["state", "established", "dport", "!=", ":22"],
      /^filter "state established and dport != :22" can match/,
    ],
  ];
  for (const [args, message] of broad) {
    it(`refuses a broad filter without --force, exit 2, one line: kill ${args.join(" ")} --yes`, () => {
      const r = sockdoc(["kill", ...args, "--yes"], { env: { SOCKDOC_NO_NATIVE: "1" } });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, "one line");
      const line = r.stderr.replace(/^sockdoc: refusing: /, "");
      assert.match(line, message);
      assert.match(
        line,
        /name the stuck state and port \(e\.g\. state close-wait sport = :8080\) or add --force\n$/,
      );
      // With --force it gets past the refusal, to the missing addon.
      const forced = sockdoc(["kill", ...args, "--yes", "--force"], { env: { SOCKDOC_NO_NATIVE: "1" } });
      assert.equal(forced.status, 3, forced.stderr);
      assert.match(forced.stderr, /kill needs the native addon/);
    });
  }

  it("suggests no broad filter when refusing one that can match LISTEN", () => {
    const r = sockdoc(["kill", "sport", "=", ":8080", "--yes"], { env: { SOCKDOC_NO_NATIVE: "1" } });
    assert.equal(r.status, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /exclude listen/);
    assert.match(r.stderr, /\(e\.g\. state close-wait sport = :8080\) or add --force\n$/);
  });

  it("accepts a narrow filter on ESTABLISHED sockets (then needs the addon)", () => {
    const r = sockdoc(["kill", "state", "established", "dport", "=", ":5432", "--yes"], {
      env: { SOCKDOC_NO_NATIVE: "1" },
    });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /kill needs the native addon/);
  });

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
