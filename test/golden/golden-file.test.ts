/**
 * The golden file format: it must tell apart outputs that differ (exit code,
 * stream, final newline) and hide only what varies between runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstDifference, goldenText, normalize } from "./golden-file.js";

describe("golden file format", () => {
  it("writes the exit code and both streams, marking a missing final newline", () => {
    const text = goldenText("ls", { status: 2, stdout: "", stderr: "sockdoc: bad" });
    assert.equal(
      text,
      "#### sockdoc ls\n#### exit 2\n#### stdout (empty)\n#### stderr\nsockdoc: bad\n\\ no newline at end\n",
    );
    assert.notEqual(
      goldenText("ls", { status: 0, stdout: "a\n", stderr: "" }),
      goldenText("ls", { status: 0, stdout: "a", stderr: "" }),
    );
    assert.notEqual(
      goldenText("ls", { status: 0, stdout: "a\n", stderr: "" }),
      goldenText("ls", { status: 0, stdout: "", stderr: "a\n" }),
    );
  });

  it("replaces only the clock, the scrape time and the repository path", () => {
    const raw =
      '{"takenAt":"2026-12-05T01:41:36.392Z","detail":"/r/repo/x"}\n' +
      "sockdoc_scrape_duration_seconds 0.018\n" +
      "sockdoc_time_wait_severity 0\n";
    assert.equal(
      normalize(raw, "/r/repo"),
      '{"takenAt":"<time>","detail":"<repo>/x"}\n' +
        "sockdoc_scrape_duration_seconds <seconds>\n" +
        "sockdoc_time_wait_severity 0\n",
    );
  });

  it("shows the changed lines with context and where the first one parts", () => {
    assert.equal(firstDifference("a\nb\nc\n", "a\nb\nc\n"), null);
    const diff = firstDifference("h\nx 1 y\nt\n", "h\nx 2 y\nt\n");
    assert.equal(
      diff,
      [
        "@@ first difference at line 2 @@",
        "  h",
        "- x 1 y",
        "+ x 2 y",
        "  t",
        "  ",
        '  (from column 3: expected "x 1 y", actual "x 2 y")',
      ].join("\n"),
    );
  });
});
