/**
 * @module CSV (RFC 4180) from the same columns the table uses.
 */
import type { Column } from "./table.js";

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => quote(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => quote(String(c.value(row)))).join(","));
  return lines.join("\n");
}
