/**
 * @module Reading one capture file (or stdin) as text, with read failures
 * turned into one-line InputErrors (exit 3). The read is bounded: binary
 * input is refused from its first bytes, and no more than the input limit is
 * read (/dev/zero, a FIFO or a stdin that never ends stop there), so memory
 * holds at most the capped bytes, then their text.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../model/errors.js";
import { binaryKind, HEAD_BYTES } from "./binary-input.js";
import { decodeCaptureText, isCompressed } from "./decode-text.js";
import { DEFAULT_INPUT_LIMIT, MAX_TEXT_BYTES, sizeText } from "./input-limit.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
};

/** Bytes asked of each read of a pipe or device. */
export const CHUNK = 1 << 20;

/** "no such file or directory" rather than Node's "ENOENT: no such file ..., open '...'". */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? (err as Error).message;
}

/** Why the input is refused after its first bytes; null when it may be a capture. */
export function refusal(head: Uint8Array, shown: string): string | null {
  if (isCompressed(head)) {
    return `${shown} is compressed (a sosreport archive?): extract it (tar xf ${shown}) and pass the folder`;
  }
  const kind = binaryKind(head);
  return kind === null ? null : `${shown} is ${kind}, not text: expected netstat, ss or /proc/net/tcp output`;
}

/** An input over the limit: a sosreport skips such a listing with a warning rather than silently. */
export class OverLimitError extends InputError {}

export function overLimit(shown: string, limit: number): InputError {
  if (limit >= MAX_TEXT_BYTES) {
    return new OverLimitError(`${shown} is over ${sizeText(MAX_TEXT_BYTES)}, the most sockdoc reads at once`);
  }
  return new OverLimitError(
    `${shown} is over the input limit of ${sizeText(limit)}; raise it with --input-limit (e.g. --input-limit 512M)`,
  );
}

/**
 * Reads fd to its end, or until more than limit bytes came: then InputError.
 * A regular file is read into one buffer of its size; a pipe or device in
 * chunks. The head is checked as soon as HEAD_BYTES (or the end) arrived.
 */
class CappedReader {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private checked = false;

  constructor(
    private readonly shown: string,
    private readonly limit: number,
  ) {}

  /** reopen: a blocking fd for the same input, for a stdin pipe left non-blocking (EAGAIN). */
  read(fd: number, reopen?: () => number): Buffer {
    const cap = Math.min(this.limit, MAX_TEXT_BYTES);
    const st = fstatSync(fd);
    const sized = st.isFile() && st.size > 0;
    if (sized) {
      // A binary file is refused from its head, before a buffer of its size is made.
      this.readHead(fd);
      if (st.size > cap) throw overLimit(this.shown, this.limit);
    }
    for (;;) {
      // One more byte than the cap, to know a file of exactly the cap is not over it.
      const want = Math.min(
        sized && this.total < st.size ? st.size + 1 - this.total : CHUNK,
        cap + 1 - this.total,
      );
      const buf = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN" || reopen === undefined) throw err;
        fd = reopen();
        reopen = undefined;
        continue;
      }
      if (n === 0) break;
      this.chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      this.total += n;
      if (!this.checked && this.total >= HEAD_BYTES) this.check();
      if (this.total > cap) throw overLimit(this.shown, this.limit);
    }
    if (!this.checked) this.check();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
  }

  /** A regular file's head, read at offset 0 (the file position stays): refused when binary. */
  private readHead(fd: number): void {
    this.checked = true;
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    const why = refusal(head.subarray(0, n), this.shown);
    if (why !== null) throw new InputError(why);
  }

  private check(): void {
    this.checked = true;
    if (this.total === 0) return;
    const first = this.chunks[0]!;
    const head = first.length >= HEAD_BYTES ? first : Buffer.concat(this.chunks).subarray(0, HEAD_BYTES);
    const why = refusal(head.subarray(0, HEAD_BYTES), this.shown);
    if (why !== null) throw new InputError(why);
  }
}

function readAll(path: string, shown: string, limit: number): Buffer {
  const reader = new CappedReader(shown, limit);
  if (path !== "-") {
    const fd = openSync(path, "r");
    try {
      return reader.read(fd);
    } finally {
      closeSync(fd);
    }
  }
  // A non-blocking stdin pipe refuses a plain read; opening it by name blocks as usual.
  let opened: number | null = null;
  try {
    return reader.read(0, () => (opened = openSync("/dev/stdin", "r")));
  } finally {
    if (opened !== null) closeSync(opened);
  }
}

/** The text of a capture's bytes; InputError when they are an archive or binary (shown names them). */
export function captureTextOfBytes(bytes: Uint8Array, shown: string): string {
  const why = refusal(bytes.subarray(0, HEAD_BYTES), shown);
  if (why !== null) throw new InputError(why);
  return decodeCaptureText(bytes);
}

/**
 * The decoded text of a capture file ("-" = stdin); InputError when it cannot
 * be read, is an archive or binary, or is over limit bytes.
 */
export function readCaptureText(path: string, shown: string = path, limit = DEFAULT_INPUT_LIMIT): string {
  let bytes: Buffer;
  try {
    bytes = readAll(path, shown, limit);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${shown}: ${fsReason(err)}`, { cause: err });
  }
  return decodeCaptureText(bytes);
}
