/**
 * @module The I/O edge of capture analysis: a file ("-" = stdin) or a
 * sosreport folder in, a Snapshot out. The format is told from the content
 * (detect.ts), never from the file name.
 */
import { closeSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { InputError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { invalidAddressWarning } from "./address-check.js";
import { detectCaptureFormat, parserFor } from "./detect.js";
import { DEFAULT_INPUT_LIMIT } from "./input-limit.js";
import { captureTextOfBytes, fsReason, readCaptureText } from "./read-file.js";
import { isArchiveHead, readArchive } from "./read-archive.js";
import { readSosreport } from "./sosreport.js";
import { type CaptureSource, heldCapture, UNKNOWN_CAPTURE_HOST } from "./capture-source.js";
import { openCaptureStream, unknownFormat } from "./stream-capture.js";

export { UNKNOWN_CAPTURE_HOST };

/** A capture's text as a Snapshot; shown names it in messages, takenAt is when it was written. */
export function snapshotFromText(text: string, shown: string, takenAt: number): Snapshot {
  const format = detectCaptureFormat(text);
  if (format === null) throw unknownFormat(text, shown);
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

/** The first bytes of a file, enough for the tar magic; empty when it cannot be read (the read that follows says why). */
function headOf(path: string): Uint8Array {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    const head = new Uint8Array(512);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Read a capture: a file of netstat, ss or /proc/net/tcp{,6} output, "-" for
 * stdin, a sosreport folder, or either in a tar archive. InputError (one line) when it cannot be read
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

/**
 * A capture to inspect: readCapture's, except that a capture file or stdin
 * is streamed (its netstat or ss rows parsed as the inspection reads them,
 * never all held); a sosreport or an archive is read whole.
 */
export function openCapture(path: string, limit: number = DEFAULT_INPUT_LIMIT): CaptureSource {
  const whole = (shown: string, takenAt: number) => (text: string) =>
    heldCapture(snapshotFromText(text, shown, takenAt));
  if (path === "-") return openCaptureStream("-", "stdin", limit, Date.now(), whole("stdin", Date.now()));
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${fsReason(err)}`, { cause: err });
  }
  if (st.isDirectory() || (st.isFile() && isArchiveHead(headOf(path))))
    return heldCapture(readCapture(path, limit));
  const takenAt = Math.trunc(st.mtimeMs);
  return openCaptureStream(path, path, limit, takenAt, whole(path, takenAt));
}
