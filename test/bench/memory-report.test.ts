/** The bench's peak-RSS table (issue 10 item 9): every command, its peak, MET or NOT MET against 150 MB. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MEMORY_COMMANDS } from "../../bench/commands.js";
import { memoryBlock } from "../../bench/report.js";

describe("bench peak-RSS table", () => {
  it("lists every command the issue names", () => {
    const labels = MEMORY_COMMANDS.map((c) => c.label);
    for (const want of [
      "ls -o",
      "ls -p --format csv",
      "ls -p --json",
      "summary -p",
      "closewait",
      "timewait",
      "metrics -p",
    ])
      assert.ok(labels.includes(want), want);
    assert.ok(
      labels.some((l) => l.startsWith("sockdoc")),
      "the default report",
    );
    assert.ok(
      MEMORY_COMMANDS.some((c) => c.destructive && c.shell.includes("kill") && c.shell.includes("--yes")),
    );
    assert.equal(MEMORY_COMMANDS.at(-1)?.destructive, true, "the kill that closes sockets runs last");
  });

  it("says MET at or under 150 MB, NOT MET above, and notes failures", () => {
    const notes: string[] = [];
    const lines = memoryBlock(
      {
        rows: [
          { label: "ls -o", shell: "x", status: "ok", rssKb: 150 * 1024 },
          { label: "ls -p --json", shell: "x", status: "ok", rssKb: 150 * 1024 + 1 },
          { label: "kill --yes", shell: "x", status: "failed", note: "exit 1: boom", rssKb: 1024 },
        ],
        problems: [],
      },
      true,
      notes,
    );
    assert.match(lines[1]!, /ls -o\s+150\.0 MB {2}MET$/);
    assert.match(lines[2]!, /ls -p --json\s+150\.0 MB {2}NOT MET$/);
    assert.match(lines[3]!, /kill --yes\s+1\.0 MB {2}MET \[1\]$/);
    assert.deepEqual(notes, ["RSS kill --yes: exit 1: boom"]);
  });

  it("puts a capture's peak against its size, 3x at most", () => {
    const reads = MEMORY_COMMANDS.filter((c) => c.capture !== undefined);
    assert.deepEqual(new Set(reads.map((c) => c.capture)), new Set(["netstat", "ss"]));
    assert.ok(reads.every((c) => c.shell.includes("--input {capture}")));
    const mib = 1024 * 1024;
    const lines = memoryBlock(
      {
        rows: [
          { label: "summary --input ss", shell: "x", status: "ok", rssKb: 90 * 1024, captureBytes: 60 * mib },
          {
            label: "closewait --input ss",
            shell: "x",
            status: "ok",
            rssKb: 190 * 1024,
            captureBytes: 60 * mib,
          },
        ],
        problems: [],
      },
      false,
      [],
    );
    assert.match(lines[1]!, /summary --input ss\s+90\.0 MB {2}1\.5x its 60\.0 MB \(<= 3x: MET\)$/);
    assert.match(lines[2]!, /closewait --input ss\s+190\.0 MB {2}3\.2x its 60\.0 MB \(<= 3x: NOT MET\)$/);
  });
});
