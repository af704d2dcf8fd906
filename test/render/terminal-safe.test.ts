/** Text from outside cannot reach the terminal as control bytes (issue 10 item 5). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { renderCsv } from "../../src/render/csv.js";
import { type Column, renderTable } from "../../src/render/table.js";
import { terminalSafe, terminalSafeCell } from "../../src/render/terminal-safe.js";

/** C0, DEL, C1, bidi controls and line/paragraph separators. */
const isControl = (code: number): boolean =>
  code < 0x20 ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x061c ||
  code === 0x200e ||
  code === 0x200f ||
  code === 0x2028 ||
  code === 0x2029 ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

function controlsIn(text: string, allowed: readonly string[] = []): string[] {
  return [...text].filter((c) => isControl(c.codePointAt(0)!) && !allowed.includes(c));
}

/** Strings rich in controls: any code unit, plus the dangerous ones often. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom("\x1b", "\x07", "\x9b", "\x7f", "\r", "\n", "\t", "\u202e", "\u2066", "\\", "["),
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  ),
});

describe("terminalSafe", () => {
  it("leaves no control in a cell, and none but newline and tab in text", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        assert.deepEqual(controlsIn(terminalSafeCell(s)), []);
        assert.deepEqual(controlsIn(terminalSafe(s), ["\n", "\t"]), []);
      }),
      { numRuns: 2000 },
    );
  });

  it("changes nothing the second time (cells are escaped, then the whole text)", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        assert.equal(terminalSafe(terminalSafe(s)), terminalSafe(s));
        assert.equal(terminalSafe(terminalSafeCell(s)), terminalSafeCell(s));
      }),
    );
  });

  it("leaves text without controls as it is", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(controlsIn(s).length === 0);
        assert.equal(terminalSafeCell(s), s);
      }),
    );
  });

  it("shows the title and clear-screen sequences as \\xNN, bidi overrides as \\uNNNN", () => {
    assert.equal(terminalSafe("\x1b]0;pwned\x07\x1b[2J"), "\\x1b]0;pwned\\x07\\x1b[2J");
    assert.equal(terminalSafe("evil\u202etxt.exe"), "evil\\u202etxt.exe");
    assert.equal(terminalSafe("a\tb\nc\rd\x9b"), "a\tb\nc\\x0dd\\x9b");
    assert.equal(terminalSafeCell("a\tb\nc"), "a\\x09b\\x0ac");
  });
});

describe("tables and CSV of hostile text", () => {
  interface Row {
    name: string;
    n: number;
  }
  const columns: Column<Row>[] = [
    { header: "Name", value: (r) => r.name },
    { header: "N", value: (r) => r.n, align: "right" },
  ];

  it("escape cells before measuring them, so columns stay aligned", () => {
    const out = renderTable(
      [
        { name: "\x1b[2Jx", n: 1 },
        { name: "plain", n: 22 },
      ],
      columns,
    );
    assert.deepEqual(controlsIn(out, ["\n"]), []);
    const lines = out.split("\n");
    assert.equal(lines[1], "\\x1b[2Jx   1");
    assert.equal(new Set(lines.map((l) => l.length)).size, 1, out);
  });

  it("never let a control byte through, whatever the cells", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: hostile, n: fc.integer() }), { maxLength: 20 }), (rows) => {
        assert.deepEqual(controlsIn(renderTable(rows, columns, 60), ["\n"]), []);
        assert.deepEqual(controlsIn(renderCsv(rows, columns), ["\n"]), []);
      }),
    );
  });

  it("CSV: a newline or tab inside a field is shown, not kept", () => {
    assert.equal(renderCsv([{ name: 'a\nb,"c"', n: 1 }], columns), 'Name,N\n"a\\x0ab,""c""",1');
  });
});
