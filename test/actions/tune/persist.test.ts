/**
 * The --persist file: its content (kept lines, replaced keys, added keys),
 * the atomic write with the previous content journaled, and the warnings
 * when it would not hold at boot.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { persistWarnings, replaceFile } from "../../../src/actions/tune/persist.js";
import { persistText } from "../../../src/actions/tune/persist-text.js";
import { readSysctlConfig } from "../../../src/sources/sysctl-conf.js";
import { context, MemoryJournal } from "./fake-proc.js";

describe("persistText", () => {
  it("starts a new file with a header that says who wrote it", () => {
    const text = persistText(null, [["net.ipv4.tcp_tw_reuse", "1"]]);
    assert.match(text, /^# Written by `sockdoc tune apply --persist`/);
    assert.ok(text.endsWith("\nnet.ipv4.tcp_tw_reuse = 1\n"));
  });

  it("replaces the key's lines in place, keeps the rest, appends new keys", () => {
    const previous = "# mine\nnet/ipv4/tcp_tw_reuse=2\nnet.core.somaxconn = 1024\n";
    assert.equal(
      persistText(previous, [
        ["net.ipv4.tcp_tw_reuse", "1"],
        ["net.ipv4.ip_local_port_range", "10240 65535"],
      ]),
      "# mine\nnet.ipv4.tcp_tw_reuse = 1\nnet.core.somaxconn = 1024\nnet.ipv4.ip_local_port_range = 10240 65535\n",
    );
  });
});

describe("replaceFile and persistWarnings", () => {
  const root = mkdtempSync(join(tmpdir(), "sockdoc-tune-persist-"));
  const file = join(root, "etc", "sysctl.d", "90-sockdoc.conf");

  it("journals the previous content (null: none) and writes the new", () => {
    const j = new MemoryJournal();
    replaceFile(file, "a.b = 1\n", j, context(), null);
    assert.equal(readFileSync(file, "utf8"), "a.b = 1\n");
    replaceFile(file, "a.b = 2\n", j, context(), null);
    assert.deepEqual(
      j.records.map((r) => (r.action === "persist" ? [r.previous, r.content] : null)),
      [
        [null, "a.b = 1\n"],
        ["a.b = 1\n", "a.b = 2\n"],
      ],
    );
    replaceFile(file, null, j, context(), "A");
    assert.equal(existsSync(file), false);
  });

  it("warns when a later file wins at boot, or the file is not read at all", () => {
    writeFileSync(file, "net.core.somaxconn = 8192\nnet.ipv4.tcp_tw_reuse = 1\n");
    writeFileSync(join(root, "etc", "sysctl.conf"), "net.core.somaxconn = 128\n");
    const config = readSysctlConfig(root);
    assert.deepEqual(persistWarnings(config, file, ["net.core.somaxconn", "net.ipv4.tcp_tw_reuse"]), [
      `${join(root, "etc", "sysctl.conf")}:1 also sets net.core.somaxconn (= 128) and is loaded later, so it wins at boot`,
    ]);
    mkdirSync(join(root, "opt"));
    assert.match(
      persistWarnings(config, join(root, "opt", "x.conf"), ["a.b"])[0] ?? "",
      /is not read at boot/,
    );
  });

  it("cleans up", () => rmSync(root, { recursive: true }));
});
