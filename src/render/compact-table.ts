/**
 * @module A table (or CSV) of many rows kept as their printed cells only: one
 * string per row, measured as it is added, written a chunk of rows at a time.
 * For rows read from a stream (a cursor over a netlink dump) whose objects
 * are gone once visited: 200k sockets then cost their text, not their records.
 */
import { csvField } from "./csv.js";
import { type ColumnShape, fitWidths, lineMaker, ROWS_PER_CHUNK } from "./table.js";
import { terminalSafeCell } from "./terminal-safe.js";

/** Between the cells of a stored row: a control, so never inside a terminal-safe cell. */
const SEP = "\x00";

export class CompactTable {
  private readonly columns: ColumnShape[];
  private readonly widths: number[];
  private readonly rows: string[] = [];
  /** Columns added after the rows: their cells are made again when written, not stored. */
  private readonly late: Array<(rowIndex: number) => string> = [];

  constructor(columns: readonly ColumnShape[]) {
    this.columns = [...columns];
    this.widths = columns.map((c) => terminalSafeCell(c.header).length);
  }

  get size(): number {
    return this.rows.length;
  }

  /** A row's values, one per column given so far. */
  add(values: readonly (string | number)[]): void {
    const cells: string[] = [];
    for (let i = 0; i < values.length; i++) {
      const cell = terminalSafeCell(String(values[i]));
      if (cell.length > this.widths[i]!) this.widths[i] = cell.length;
      cells.push(cell);
    }
    // join makes one flat string; `${a}${b}` would keep a tree of the cells (as big as the cells).
    this.rows.push(cells.join(SEP));
  }

  /**
   * A last column whose values are known only after every row (owners, after
   * the fd scan). valueOf is called twice per row, to measure and to write:
   * cheaper than a second copy of every row.
   */
  addColumn(column: ColumnShape, valueOf: (rowIndex: number) => string): void {
    const cellOf = (i: number): string => terminalSafeCell(valueOf(i));
    let width = terminalSafeCell(column.header).length;
    for (let i = 0; i < this.rows.length; i++) width = Math.max(width, cellOf(i).length);
    this.columns.push(column);
    this.widths.push(width);
    this.late.push(cellOf);
  }

  /** Row r's cells: the stored ones, then the late columns'. */
  private cells(r: number): string[] {
    const cells = this.rows[r]!.split(SEP);
    for (const cellOf of this.late) cells.push(cellOf(r));
    return cells;
  }

  /** The table's lines as tableChunks writes them, ROWS_PER_CHUNK rows a chunk. */
  *tableChunks(maxWidth = 0): Generator<string> {
    const widths = [...this.widths];
    if (maxWidth > 0) fitWidths(widths, this.columns, maxWidth);
    const line = lineMaker(widths, this.columns);
    yield* this.chunks(line(this.columns.map((c) => terminalSafeCell(c.header))), (r) => line(this.cells(r)));
  }

  /** The rows as CSV, as csvChunks writes them. */
  *csvChunks(): Generator<string> {
    const quoted = (cells: readonly string[]): string => `${cells.map(csvField).join(",")}\n`;
    yield* this.chunks(quoted(this.columns.map((c) => c.header)), (r) => quoted(this.cells(r)));
  }

  private *chunks(head: string, format: (rowIndex: number) => string): Generator<string> {
    let chunk = head;
    for (let start = 0; start < this.rows.length; start += ROWS_PER_CHUNK) {
      const end = Math.min(this.rows.length, start + ROWS_PER_CHUNK);
      for (let r = start; r < end; r++) chunk += format(r);
      yield chunk;
      chunk = "";
    }
    if (chunk !== "") yield chunk;
  }
}
