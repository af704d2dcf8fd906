import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderCsv } from "../../src/render/csv.js";
import { type Column, renderTable } from "../../src/render/table.js";

interface Row {
  name: string;
  n: number;
}
const columns: Column<Row>[] = [
  { header: "Name", value: (r) => r.name, shrinkable: true },
  { header: "N", value: (r) => r.n, align: "right" },
];

describe("renderTable", () => {
  it("aligns text left and numbers right", () => {
    const out = renderTable(
      [
        { name: "close-wait", n: 5 },
        { name: "estab", n: 120 },
      ],
      columns,
    );
    assert.equal(out, ["Name          N", "close-wait    5", "estab       120"].join("\n"));
  });

  it("cuts shrinkable columns to fit the width", () => {
    const out = renderTable([{ name: "a".repeat(100), n: 1 }], columns, 30);
    for (const line of out.split("\n")) assert.ok(line.length <= 30, line);
    assert.match(out, /a…/);
  });
});

describe("renderTable on a busy host", () => {
  it("renders 200k rows (column widths without spreading the rows into a call)", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ n: i }));
    const text = renderTable(rows, [{ header: "N", value: (r: { n: number }) => r.n, align: "right" }]);
    const lines = text.split("\n");
    assert.equal(lines.length, 200_001);
    assert.equal(lines[0], "     N");
    assert.equal(lines[200_000], "199999");
  });
});

describe("renderTable narrowing", () => {
  it("narrows the widest shrinkable column first, keeping short ones whole", () => {
    const cols: Column<{ a: string; p: string }>[] = [
      { header: "Addr", value: (r) => r.a, shrinkable: true },
      { header: "Proc", value: (r) => r.p, shrinkable: true },
    ];
    const out = renderTable([{ a: "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", p: "java/4242/fd5" }], cols, 40);
    const row = out.split("\n")[1]!;
    assert.ok(row.length <= 40, row);
    assert.ok(row.endsWith("java/4242/fd5"), row);
    assert.match(row, /^2001:db8:.*… /);
  });
});

describe("renderCsv", () => {
  it("quotes fields with commas and quotes", () => {
    assert.equal(renderCsv([{ name: 'x,"y"', n: 2 }], columns), 'Name,N\n"x,""y""",2');
  });
});
