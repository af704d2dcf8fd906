/**
 * @module How much of a capture sockdoc reads: a default cap, so that
 * /dev/zero, an endless pipe or a huge file passed by mistake ends with a
 * one-line error instead of filling memory, and the `--input-limit SIZE`
 * value that raises it (512M, 2G, 1048576). Pure.
 */
import { constants } from "node:buffer";
import { UsageError } from "../model/errors.js";

const MIB = 1024 * 1024;

/** 256 MiB: about 3 million netstat or ss rows, more than any real host holds. */
export const DEFAULT_INPUT_LIMIT = 256 * MIB;

/**
 * The longest text V8 holds (just under 512 MiB): a capture is parsed as one
 * string, so a larger --input-limit is taken but cannot read more than this.
 */
export const MAX_TEXT_BYTES = constants.MAX_STRING_LENGTH;

const UNITS: Record<string, number> = { "": 1, K: 1024, M: MIB, G: 1024 * MIB };

/** "512M", "2G", "64k", "1048576" (bytes; K, M, G are powers of 1024, an optional B or iB after). */
export function parseInputLimit(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : Number.NaN;
  if (!(bytes >= 1)) {
    throw new UsageError(`--input-limit wants a size such as 512M or 2G, not "${text}"`);
  }
  return bytes;
}

/** A byte count as people write it: "256 MiB", "64 KiB", "100 bytes". */
export function sizeText(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 * MIB],
    ["MiB", MIB],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size) {
      const n = bytes / size;
      return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}
