/**
 * The streaming table (issue 10 item 9): the same text as the renderer it
 * replaced, written a chunk of rows at a time, never as one huge write.
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CompactTable } from "../../src/render/compact-table.js";
import { csvChunks } from "../../src/render/csv.js";
import { writeChunks } from "../../src/render/output.js";
import { type Column, ROWS_PER_CHUNK, tableChunks } from "../../src/render/table.js";

/** The renderer before streaming (one cell array, one string), kept as the reference. */
function referenceTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = 0): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row))));
  const widths = columns.map((c) => c.header.length);
  for (const row of cells) {
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, (row[i] ?? "").length);
  }
  if (maxWidth > 0) {
    const floor = columns.map((c) => (c.shrinkable ? Math.max(8, c.header.length) : Infinity));
    let total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
    while (total > maxWidth) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      total--;
    }
  }
  const cut = (text: string, width: number): string =>
    text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const w = widths[i] ?? 0;
        const text = cut(v, w);
        if (i === values.length - 1 && columns[i]?.align !== "right") return text;
        return columns[i]?.align === "right" ? text.padStart(w) : text.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map((r) => line(r))].join("\n");
}

type Row = [string, number, string];
/** Printable text (controls are another test's subject): letters, digits, spaces, punctuation. */
const text = fc.string({ unit: fc.constantFrom(..."abcXYZ019 .:/-[]…é"), maxLength: 30 });
const rowArb = fc.tuple(text, fc.integer({ min: -1e6, max: 1e9 }), text);
const columnsArb = fc
  .tuple(
    fc.constantFrom<"left" | "right">("left", "right"),
    fc.boolean(),
    fc.constantFrom<"left" | "right">("left", "right"),
    fc.boolean(),
  )
  .map(([a0, s0, a2, s2]): Column<Row>[] => [
    { header: "Name", value: (r) => r[0], align: a0, shrinkable: s0 },
    { header: "Count", value: (r) => r[1], align: "right" },
    { header: "Peer", value: (r) => r[2], align: a2, shrinkable: s2 },
  ]);

describe("tableChunks", () => {
  it("writes exactly what the one-string renderer wrote, for random rows and widths", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 60 }),
        columnsArb,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, columns, width, perChunk) => {
          const streamed = [...tableChunks(rows, columns, width, perChunk)].join("");
          assert.equal(streamed, `${referenceTable(rows, columns, width)}\n`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("yields one chunk per ROWS_PER_CHUNK rows, never the whole table at once", () => {
    const rows: Row[] = Array.from({ length: 5 * ROWS_PER_CHUNK + 17 }, (_, i) => [`host${i}`, i, "p"]);
    const columns: Column<Row>[] = [
      { header: "Name", value: (r) => r[0] },
      { header: "N", value: (r) => r[1], align: "right" },
    ];
    const chunks = [...tableChunks(rows, columns)];
    assert.equal(chunks.length, 6);
    for (const chunk of chunks) assert.ok(chunk.split("\n").length - 1 <= ROWS_PER_CHUNK + 1);
    assert.equal(chunks.join(""), `${referenceTable(rows, columns)}\n`);
    const csv = [...csvChunks(rows, columns)];
    assert.equal(csv.length, 6);
    assert.equal(csv.join("").split("\n").length - 1, rows.length + 1);
  });
});

describe("CompactTable (rows kept as their cells, the last column added after)", () => {
  it("writes what tableChunks and csvChunks write for the same rows", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 60 }),
        columnsArb,
        fc.integer({ min: 0, max: 120 }),
        (rows, columns, width) => {
          const table = new CompactTable(columns.slice(0, 2));
          for (const row of rows) table.add([row[0], row[1]]);
          table.addColumn(columns[2]!, (i) => String(columns[2]!.value(rows[i]!)));
          assert.equal(
            [...table.tableChunks(width)].join(""),
            [...tableChunks(rows, columns, width)].join(""),
          );
          assert.equal([...table.csvChunks()].join(""), [...csvChunks(rows, columns)].join(""));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("writeChunks", () => {
  it("waits for the reader to drain before writing the next chunk", async () => {
    const writes: string[] = [];
    const sink = Object.assign(new EventEmitter(), {
      write(chunk: string): boolean {
        writes.push(chunk);
        return false; // buffer full after every chunk: a slow reader
      },
    });
    const done = writeChunks(["a", "b", "c"], sink);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ["a"], "the second chunk waited for drain");
    sink.emit("drain");
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ["a", "b"]);
    sink.emit("drain");
    await new Promise((r) => setImmediate(r));
    sink.emit("drain");
    await done;
    assert.deepEqual(writes, ["a", "b", "c"]);
  });
});
