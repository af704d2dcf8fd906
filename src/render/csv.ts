/**
 * @module CSV (RFC 4180) from the same columns the table uses. CSV is opened
 * in spreadsheets and printed on terminals alike, so a field's controls are
 * made visible as in a table (terminal-safe.ts: newlines and tabs in a field
 * too, as \x0a and \x09); quoting then only concerns commas and quotes.
 * Written ROWS_PER_CHUNK rows at a time.
 */
import { type Column, ROWS_PER_CHUNK } from "./table.js";
import { terminalSafeCell } from "./terminal-safe.js";

/** One CSV field: terminal-safe, then quoted when it holds a comma or a quote. */
export function csvField(value: string): string {
  const safe = terminalSafeCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV's lines, each ending in a newline, in chunks of ROWS_PER_CHUNK rows (the header with the first). */
export function csvChunks<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  rowsPerChunk = ROWS_PER_CHUNK,
): Generator<string> {
  return csvRowChunks(rows.length, (r) => rows[r]!, columns, rowsPerChunk);
}

/** csvChunks over count rows made on demand (rowAt): rows kept in another form than objects. */
export function* csvRowChunks<T>(
  count: number,
  rowAt: (r: number) => T,
  columns: readonly Column<T>[],
  rowsPerChunk = ROWS_PER_CHUNK,
): Generator<string> {
  let chunk = `${columns.map((c) => csvField(c.header)).join(",")}\n`;
  for (let start = 0; start < count; start += rowsPerChunk) {
    const end = Math.min(count, start + rowsPerChunk);
    for (let r = start; r < end; r++) {
      const row = rowAt(r);
      chunk += `${columns.map((c) => csvField(String(c.value(row)))).join(",")}\n`;
    }
    yield chunk;
    chunk = "";
  }
  if (chunk !== "") yield chunk;
}

/** The whole CSV as one string (no final newline). */
export function renderCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  let out = "";
  for (const chunk of csvChunks(rows, columns)) out += chunk;
  return out.slice(0, -1);
}
