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

/** Items per write when streaming: big enough to be cheap, small enough that no huge string exists. */
const CHUNK = 2000;

/**
 * A JSON document whose last field is a long array, written in chunks when
 * piped so that 100k sockets never exist as one string (peak memory is part
 * of the benchmark). The bytes are what emitJson would write.
 */
export function emitJsonWithArray<T>(
  head: Record<string, unknown>,
  key: string,
  items: readonly T[],
  toJson: (item: T) => unknown,
): void {
  if (process.stdout.isTTY) {
    emitJson({ ...head, [key]: items.map(toJson) });
    return;
  }
  const open = JSON.stringify({ ...head, [key]: [] });
  process.stdout.write(open.slice(0, -2)); // ends with the array's "["
  for (let start = 0; start < items.length; start += CHUNK) {
    // One stringify per chunk, not per item: a third faster for 50k sockets.
    const array = JSON.stringify(items.slice(start, start + CHUNK).map(toJson));
    process.stdout.write(start === 0 ? array.slice(1, -1) : `,${array.slice(1, -1)}`);
  }
  process.stdout.write("]}\n");
}

/** Rows as ndjson: one compact JSON object per line, written in chunks. */
export function emitNdjson<T>(items: readonly T[], toJson: (item: T) => unknown = (item) => item): void {
  for (let start = 0; start < items.length; start += CHUNK) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(items.length, start + CHUNK); i++)
      parts.push(JSON.stringify(toJson(items[i]!)));
    process.stdout.write(`${parts.join("\n")}\n`);
  }
}

export function tableOrCsv<T>(
  format: "table" | "csv",
  rows: readonly T[],
  columns: readonly Column<T>[],
): string {
  return format === "csv" ? renderCsv(rows, columns) : renderTable(rows, columns, terminalWidth());
}
