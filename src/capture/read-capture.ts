/**
 * @module The I/O edge of capture analysis: a file ("-" = stdin) or a
 * sosreport folder in, a Snapshot out. The format is told from the content
 * (detect.ts), never from the file name.
 */
import { type Stats, statSync } from "node:fs";
import { InputError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { invalidAddressWarning } from "./address-check.js";
import { detectCaptureFormat, parserFor } from "./detect.js";
import { DEFAULT_INPUT_LIMIT } from "./input-limit.js";
import { captureTextOfBytes, fsReason, readCaptureText } from "./read-file.js";
import { headOf, isArchiveHead, readArchive } from "./read-archive.js";
import { readSosreport } from "./sosreport.js";

/** Host name for captures that do not say which host printed them. */
export const UNKNOWN_CAPTURE_HOST = "(capture)";

/** A capture's text as a Snapshot; shown names it in messages, takenAt is when it was written. */
export function snapshotFromText(text: string, shown: string, takenAt: number): Snapshot {
  const format = detectCaptureFormat(text);
  if (format === null) {
    const why = text.trim() === "" ? `${shown} is empty` : `cannot tell what tool printed ${shown}`;
    throw new InputError(`${why}: expected netstat, ss or /proc/net/tcp output`);
  }
  const parse = parserFor(format)(text, shown);
  const odd = invalidAddressWarning(parse.sockets, shown);
  if (odd !== null) parse.warnings.push(odd);
  return {
    sockets: parse.sockets,
    host: { hostname: UNKNOWN_CAPTURE_HOST, kernel: null, sysctls: {} },
    source: { kind: "capture", detail: `capture: ${shown} (${format})` },
    takenAt,
    ownersResolved: parse.ownersKnown,
    warnings: parse.warnings,
  };
}

/** A capture's bytes as a Snapshot: snapshotFromText once they are known to be text. */
export function snapshotFromBytes(bytes: Uint8Array, shown: string, takenAt: number): Snapshot {
  return snapshotFromText(captureTextOfBytes(bytes, shown), shown, takenAt);
}

/**
 * Read a capture: a file of netstat, ss or /proc/net/tcp{,6} output, "-" for
 * stdin, a sosreport folder, or either in a tar or zip archive. InputError (one line) when it cannot be read
 * or its format is not recognised, is binary, or is over limit bytes (each
 * file of a sosreport is held to it).
 */
export function readCapture(path: string, limit: number = DEFAULT_INPUT_LIMIT): Snapshot {
  if (path === "-") return snapshotFromText(readCaptureText("-", "stdin", limit), "stdin", Date.now());
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${fsReason(err)}`, { cause: err });
  }
  if (st.isDirectory()) return readSosreport(path, limit);
  if (st.isFile() && isArchiveHead(headOf(path))) {
    return readArchive(
      path,
      limit,
      (dir, shown) => readSosreport(dir, limit, shown),
      (file, shown) =>
        snapshotFromText(readCaptureText(file, shown, limit), shown, Math.trunc(statSync(file).mtimeMs)),
    );
  }
  return snapshotFromText(readCaptureText(path, path, limit), path, Math.trunc(st.mtimeMs));
}
