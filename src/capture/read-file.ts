/**
 * @module Reading one capture file (or stdin) as text, with read failures
 * turned into one-line InputErrors (exit 3).
 */
import { readFileSync } from "node:fs";
import { InputError } from "../model/errors.js";
import { decodeCaptureText, isCompressed } from "./decode-text.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
};

/** "no such file or directory" rather than Node's "ENOENT: no such file ..., open '...'". */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? (err as Error).message;
}

function readBytes(path: string): Buffer {
  if (path !== "-") return readFileSync(path);
  try {
    return readFileSync(0);
  } catch (err) {
    // A non-blocking stdin pipe refuses a plain read; opening it by name blocks as usual.
    if ((err as NodeJS.ErrnoException).code === "EAGAIN") return readFileSync("/dev/stdin");
    throw err;
  }
}

/** The decoded text of a capture file ("-" = stdin); InputError when it cannot be read or is an archive. */
export function readCaptureText(path: string, shown: string = path): string {
  let bytes: Buffer;
  try {
    bytes = readBytes(path);
  } catch (err) {
    throw new InputError(`cannot read ${shown}: ${fsReason(err)}`, { cause: err });
  }
  if (isCompressed(bytes)) {
    throw new InputError(
      `${shown} is compressed (a sosreport archive?): extract it (tar xf ${shown}) and pass the folder`,
    );
  }
  return decodeCaptureText(bytes);
}
