/**
 * @module Output formats and where they go: table (default on a TTY), json,
 * ndjson, csv. Commands hand over their JSON document and their rows; this
 * picks the form.
 */
import { UsageError } from "../model/errors.js";
import { renderCsv } from "./csv.js";
import { type Column, renderTable } from "./table.js";

export type Format = "table" | "json" | "ndjson" | "csv";
export const FORMATS: readonly Format[] = ["table", "json", "ndjson", "csv"];

export function parseFormat(value: string | undefined, json: boolean | undefined): Format {
  if (json) return "json";
  if (value === undefined) return "table";
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`unknown format "${value}"; expected one of: ${FORMATS.join(", ")}`);
}

export function terminalWidth(): number {
  const env = Number(process.env.COLUMNS);
  if (Number.isFinite(env) && env > 0) return env;
  return process.stdout.isTTY ? process.stdout.columns || 80 : 0;
}

/** Writes text to stdout, ending with one newline. */
export function emit(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * Indented for a person on a terminal; compact when piped, where a script
 * reads it and 100k sockets would otherwise cost a million lines of spaces.
 */
export function emitJson(doc: unknown): void {
  emit(JSON.stringify(doc, null, process.stdout.isTTY ? 2 : undefined));
}

/** Rows as ndjson: one compact JSON object per line. */
export function emitNdjson(items: readonly unknown[]): void {
  const out: string[] = [];
  for (const item of items) out.push(JSON.stringify(item));
  emit(out.join("\n"));
}

export function tableOrCsv<T>(
  format: "table" | "csv",
  rows: readonly T[],
  columns: readonly Column<T>[],
): string {
  return format === "csv" ? renderCsv(rows, columns) : renderTable(rows, columns, terminalWidth());
}
