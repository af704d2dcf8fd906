/**
 * @module Plain text table: aligned columns, numbers right-aligned, the widest
 * text column shortened first when the table would not fit the terminal.
 *
 * Made for 200k-row tables: tableChunks works in two passes over the rows,
 * the first only measuring widths, the second formatting ROWS_PER_CHUNK rows
 * at a time, so neither a cell array of every row nor the whole table as one
 * string ever exists. Cells are made terminal-safe before they are measured.
 */
import { terminalSafeCell } from "./terminal-safe.js";

/** How a column is laid out, apart from where its values come from. */
export interface ColumnShape {
  header: string;
  align?: "left" | "right";
  /** Allowed to be cut (with "…") to fit the width; the widest such column is cut first. */
  shrinkable?: boolean;
}

export interface Column<T> extends ColumnShape {
  value: (row: T) => string | number;
}

/**
 * Rows formatted per chunk: tens of kB of text, under V8's large-object size
 * (128 KiB; see output.ts CHUNK for why that matters).
 */
export const ROWS_PER_CHUNK = 500;

const MIN_SHRUNK = 8;

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/**
 * Narrows the widest shrinkable column, one character at a time, until the
 * row fits: long addresses give way before a short process name does.
 */
export function fitWidths(widths: number[], columns: readonly ColumnShape[], maxWidth: number): void {
  const floor = columns.map((c) => (c.shrinkable ? Math.max(MIN_SHRUNK, c.header.length) : Infinity));
  let total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return;
    widths[widest]!--;
    total--;
  }
}

/** Lays out one row of terminal-safe cells in the final widths, ending in a newline. */
export function lineMaker(
  widths: readonly number[],
  columns: readonly ColumnShape[],
): (values: readonly string[]) => string {
  const last = columns.length - 1;
  return (values) => {
    let out = "";
    for (let i = 0; i < values.length; i++) {
      const w = widths[i]!;
      const text = cut(values[i]!, w);
      const right = columns[i]!.align === "right";
      if (i > 0) out += "  ";
      out += i === last && !right ? text : right ? text.padStart(w) : text.padEnd(w);
    }
    return `${out.trimEnd()}\n`;
  };
}

/** A cell as printed: its text with every control made visible. */
function cell<T>(column: Column<T>, row: T): string {
  return terminalSafeCell(String(column.value(row)));
}

/** The table's lines, each ending in a newline, in chunks of ROWS_PER_CHUNK rows (the header with the first). */
export function* tableChunks<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  maxWidth = 0,
  rowsPerChunk = ROWS_PER_CHUNK,
): Generator<string> {
  // Pass one: widths only; the cells are dropped as soon as they are measured.
  const widths = columns.map((c) => terminalSafeCell(c.header).length);
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) widths[i] = Math.max(widths[i]!, cell(columns[i]!, row).length);
  }
  if (maxWidth > 0) fitWidths(widths, columns, maxWidth);
  const line = lineMaker(widths, columns);
  // Pass two: the rows again, formatted a chunk at a time.
  let chunk = line(columns.map((c) => terminalSafeCell(c.header)));
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const end = Math.min(rows.length, start + rowsPerChunk);
    for (let r = start; r < end; r++) {
      const row = rows[r]!;
      chunk += line(columns.map((c) => cell(c, row)));
    }
    yield chunk;
    chunk = "";
  }
  if (chunk !== "") yield chunk;
}

/** The whole table as one string (no final newline), for the small tables inside reports. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = 0): string {
  let out = "";
  for (const chunk of tableChunks(rows, columns, maxWidth)) out += chunk;
  return out.slice(0, -1);
}
