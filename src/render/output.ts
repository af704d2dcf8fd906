/**
 * @module Output formats and where they go: table (default on a TTY), json,
 * ndjson, csv. Commands hand over their JSON document and their rows; this
 * picks the form.
 *
 * Text for people goes out terminal-safe (terminal-safe.ts): a process name
 * or a capture line cannot send escape sequences to the terminal. JSON,
 * ndjson and Prometheus text go out exact: they are for programs, and
 * JSON.stringify already escapes every C0 control.
 *
 * Long outputs (a row per socket) are written a chunk at a time, waiting for
 * a slow reader (a pipe to less, a script) to drain each: written faster than
 * read, 200k rows would otherwise pile up in the stream's buffer.
 */
import { once } from "node:events";
import { UsageError } from "../model/errors.js";
import { csvChunks, renderCsv } from "./csv.js";
import { type Column, renderTable, tableChunks } from "./table.js";
import { terminalSafe } from "./terminal-safe.js";

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

/** Writes text for people to stdout, terminal-safe, ending with one newline. */
export function emit(text: string): void {
  process.stdout.write(emittedText(text));
}

/** What emit() writes for text: terminal-safe, ending with one newline (for a writer of chunks). */
export function emittedText(text: string): string {
  return endedLine(terminalSafe(text));
}

/** Writes a machine format (JSON, Prometheus text) to stdout as it is, ending with one newline. */
export function emitExact(text: string): void {
  process.stdout.write(endedLine(text));
}

function endedLine(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * A text format for programs (Prometheus exposition): exact when piped or
 * redirected, where a scraper or textfile collector reads it; terminal-safe
 * on a terminal, where a person does (a label may hold a process name).
 */
export function emitMachineText(text: string): void {
  if (process.stdout.isTTY) emit(text);
  else emitExact(text);
}

/**
 * Indented for a person on a terminal; compact when piped, where a script
 * reads it and 100k sockets would otherwise cost a million lines of spaces.
 */
export function emitJson(doc: unknown): void {
  emitExact(JSON.stringify(doc, null, process.stdout.isTTY ? 2 : undefined));
}

/** Where chunks go: stdout, or a test's stream. */
export interface ChunkSink {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/**
 * Writes chunks in order, waiting for "drain" whenever the sink's buffer is
 * full, so at most about one chunk waits in memory however slow the reader.
 */
export async function writeChunks(chunks: Iterable<string>, sink: ChunkSink = process.stdout): Promise<void> {
  for (const chunk of chunks) {
    if (!sink.write(chunk)) await once(sink as unknown as NodeJS.EventEmitter, "drain");
  }
}

/**
 * Items per write when streaming: big enough to be cheap, and a chunk's text
 * (about 260 bytes a socket) under V8's large-object size, 128 KiB. A larger
 * string is made in the large-object space, which only a full collection
 * frees: 2000 sockets a chunk left about 60 MB of written text on the heap
 * of `ls -p --json` at 240k sockets before V8 collected it.
 */
const CHUNK = 250;

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
): Promise<void> {
  if (process.stdout.isTTY) {
    emitJson({ ...head, [key]: items.map(toJson) });
    return Promise.resolve();
  }
  return writeChunks(jsonWithArrayChunks(head, key, items, toJson));
}

function jsonWithArrayChunks<T>(
  head: Record<string, unknown>,
  key: string,
  items: readonly T[],
  toJson: (item: T) => unknown,
): Generator<string> {
  // One stringify per chunk, not per item: a third faster for 50k sockets.
  return jsonArrayDocument(head, key, items.length, (start, end) =>
    JSON.stringify(items.slice(start, end).map(toJson)).slice(1, -1),
  );
}

/**
 * `{...head, [key]: [...]}` as JSON.stringify prints it compact, CHUNK items
 * at a time: itemsText(start, end) gives items start to end-1 as JSON text
 * joined by commas. The document's end follows its last field, the array.
 */
export function* jsonArrayDocument(
  head: Record<string, unknown>,
  key: string,
  count: number,
  itemsText: (start: number, end: number) => string,
): Generator<string> {
  const open = JSON.stringify({ ...head, [key]: [] });
  yield open.slice(0, -2); // ends with the array's "["
  for (let start = 0; start < count; start += CHUNK) {
    const text = itemsText(start, Math.min(count, start + CHUNK));
    yield start === 0 ? text : `,${text}`;
  }
  yield "]}\n";
}

function* ndjsonChunks<T>(items: readonly T[], toJson: (item: T) => unknown): Generator<string> {
  for (let start = 0; start < items.length; start += CHUNK) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(items.length, start + CHUNK); i++)
      parts.push(JSON.stringify(toJson(items[i]!)));
    yield `${parts.join("\n")}\n`;
  }
}

/** Rows as ndjson: one compact JSON object per line, written in chunks. */
export function emitNdjson<T>(items: readonly T[], toJson: (item: T) => unknown = (item) => item): void {
  for (const chunk of ndjsonChunks(items, toJson)) process.stdout.write(chunk);
}

/** Like emitNdjson, waiting for a slow reader between chunks: for a row per socket. */
export function streamNdjson<T>(items: readonly T[], toJson: (item: T) => unknown): Promise<void> {
  return writeChunks(ndjsonChunks(items, toJson));
}

export function tableOrCsv<T>(
  format: "table" | "csv",
  rows: readonly T[],
  columns: readonly Column<T>[],
): string {
  return format === "csv" ? renderCsv(rows, columns) : renderTable(rows, columns, terminalWidth());
}

/** A table or CSV of many rows, streamed to stdout (tableChunks, csvChunks): terminal-safe already. */
export function emitTableOrCsv<T>(
  format: "table" | "csv",
  rows: readonly T[],
  columns: readonly Column<T>[],
): Promise<void> {
  return writeChunks(
    format === "csv" ? csvChunks(rows, columns) : tableChunks(rows, columns, terminalWidth()),
  );
}
