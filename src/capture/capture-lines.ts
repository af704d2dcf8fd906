/**
 * @module A capture file or stdin as lines, read a chunk at a time: what a
 * streamed capture is parsed from, so that memory holds one chunk and the
 * lines of it, never the whole text. The same checks as a whole read
 * (read-file.ts): binary input refused from its first bytes, no more than
 * the input limit read; the same decoding (decode-text.ts): UTF-16 with or
 * without a BOM, a UTF-8 BOM, CRLF, CR CR LF and lone CR line ends.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../model/errors.js";
import { HEAD_BYTES } from "./binary-input.js";
import { nulPattern } from "./decode-text.js";
import { fsReason, overLimit, refusal } from "./read-file.js";

/** Bytes read at a time: small enough that a chunk's lines and rows die young (a 1 MiB chunk's survive into the old generation and raise the peak). */
const CHUNK = 64 * 1024;

type Encoding = { name: "utf8" | "utf16le" | "utf16be"; bom: number };

/** The encoding the head says, as decodeCaptureText reads it. */
function encodingOf(head: Uint8Array): Encoding {
  if (head[0] === 0xff && head[1] === 0xfe) return { name: "utf16le", bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { name: "utf16be", bom: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { name: "utf8", bom: 3 };
  const guess = nulPattern(head);
  return { name: guess === "utf-16le" ? "utf16le" : guess === "utf-16be" ? "utf16be" : "utf8", bom: 0 };
}

export class CaptureLines {
  /** Bytes read so far. */
  private total = 0;
  private lines: string[] = [];
  private at = 0;
  /** The line not yet ended (with any CRs at its end held back: a LF may follow). */
  private rest = "";
  private ended = false;
  private decoder!: StringDecoder;
  private swap = false;
  /** UTF-16BE: an odd byte left over from the last chunk. */
  private odd: Buffer | null = null;

  private constructor(
    private fd: number,
    private opened: number | null,
    private reopen: (() => number) | undefined,
    private readonly shown: string,
    /** Bytes read at most; lowered by limitTo. */
    private limit: number,
    private shownLimit: number,
  ) {
    const head = this.readHead();
    const enc = encodingOf(head);
    this.decoder = new StringDecoder(enc.name === "utf8" ? "utf8" : "utf16le");
    this.swap = enc.name === "utf16be";
    this.decode(head.subarray(Math.min(enc.bom, head.length)), this.ended);
  }

  /** Opens path ("-" = stdin); InputError when it cannot be read, is binary or is over limit bytes. */
  static open(path: string, shown: string, limit: number): CaptureLines {
    let fd: number | null = null;
    try {
      if (path !== "-") {
        fd = openSync(path, "r");
        const st = fstatSync(fd);
        if (st.isFile() && st.size > limit) throw overLimit(shown, limit);
        return new CaptureLines(fd, fd, undefined, shown, limit, limit);
      }
      // A non-blocking stdin pipe refuses a plain read; opening it by name blocks as usual.
      let reopened: number | null = null;
      const reopen = () => (reopened = openSync("/dev/stdin", "r"));
      try {
        return new CaptureLines(0, null, reopen, shown, limit, limit);
      } catch (err) {
        if (reopened !== null) closeSync(reopened);
        throw err;
      }
    } catch (err) {
      if (fd !== null) closeSync(fd);
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot read ${shown}: ${fsReason(err)}`, { cause: err });
    }
  }

  /** Reads no more than bytes in all (a whole text has a longest length); InputError past it. */
  limitTo(bytes: number, shownLimit: number): void {
    if (bytes >= this.limit) return;
    this.limit = bytes;
    this.shownLimit = shownLimit;
    if (this.total > bytes) throw overLimit(this.shown, shownLimit);
  }

  /** The next line without its end, or null at the end of the input. */
  next(): string | null {
    while (this.at === this.lines.length) {
      if (this.ended) return null;
      this.lines = [];
      this.at = 0;
      const chunk = this.read();
      if (chunk === null) this.finish();
      else this.decode(chunk, false);
    }
    return this.lines[this.at++]!;
  }

  close(): void {
    if (this.opened !== null) closeSync(this.opened);
    this.opened = null;
  }

  /** The first HEAD_BYTES (or all, when fewer): refused when binary or compressed. */
  private readHead(): Buffer {
    const chunks: Buffer[] = [];
    let n = 0;
    while (n < HEAD_BYTES) {
      const chunk = this.read();
      if (chunk === null) {
        this.ended = true;
        break;
      }
      chunks.push(chunk);
      n += chunk.length;
    }
    const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n);
    const why = refusal(head.subarray(0, HEAD_BYTES), this.shown);
    if (why !== null) throw new InputError(why);
    return head;
  }

  /** One chunk of bytes; null at the end. */
  private read(): Buffer | null {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, this.limit + 1 - this.total));
    let n: number;
    for (;;) {
      try {
        n = readSync(this.fd, buf, 0, buf.length, null);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN" && this.reopen !== undefined) {
          // Opened here, closed with the rest (close()).
          this.fd = this.opened = this.reopen();
          this.reopen = undefined;
          continue;
        }
        if (err instanceof InputError) throw err;
        throw new InputError(`cannot read ${this.shown}: ${fsReason(err)}`, { cause: err });
      }
    }
    if (n === 0) return null;
    this.total += n;
    // One more byte than the limit was asked for: to know an input of exactly the limit is not over it.
    if (this.total > this.limit) throw overLimit(this.shown, this.shownLimit);
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  private finish(): void {
    this.ended = true;
    // UTF-16BE's last odd byte is no character (as decodeCaptureText drops it).
    this.odd = null;
    this.split(this.decoder.end(), true);
  }

  private decode(bytes: Buffer, last: boolean): void {
    if (this.swap) {
      let b = this.odd ? Buffer.concat([this.odd, bytes]) : Buffer.from(bytes);
      this.odd = b.length % 2 === 1 ? b.subarray(b.length - 1) : null;
      b = b.subarray(0, b.length - (b.length % 2));
      b.swap16();
      bytes = b;
    }
    this.split(this.decoder.write(bytes), false);
    if (last) this.finish();
  }

  /** Splits text at line ends onto the lines to hand out; at the end, the last line too. */
  private split(text: string, atEnd: boolean): void {
    let s = this.rest + text;
    let held = "";
    if (!atEnd) {
      const m = /\r+$/.exec(s);
      if (m) {
        held = m[0];
        s = s.slice(0, m.index);
      }
    }
    if (s.includes("\r")) s = s.replace(/\r+\n|\r/g, "\n");
    const parts = s.split("\n");
    const last = parts.pop()!;
    for (const p of parts) this.lines.push(p);
    if (atEnd) {
      // A lone CR at the very end ended its line too; an empty last line is no line.
      if (last !== "") this.lines.push(last);
      this.rest = "";
    } else this.rest = last + held;
  }
}
