/**
 * @module Whether the first bytes of an input are not text at all: NUL bytes
 * (/dev/zero, a core dump), an executable or an archive, or mostly control
 * bytes. Told from the head alone, so a 500 MB binary is refused after one
 * read. UTF-16 (PowerShell's `>` writes UTF-16LE, with or without a BOM) is
 * text: its NULs come in the pattern decode-text.ts reads. Pure.
 */
import { isCompressed, nulPattern } from "./decode-text.js";

/** Bytes looked at: a few header lines and rows of any capture. */
export const HEAD_BYTES = 8192;

const MAGIC: ReadonlyArray<{ bytes: readonly number[]; what: string }> = [
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "an executable or library (ELF)" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a zip archive" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0xd4, 0xc3, 0xb2, 0xa1], what: "a packet capture (pcap)" },
  { bytes: [0x0a, 0x0d, 0x0d, 0x0a], what: "a packet capture (pcapng)" },
];

/** Control bytes text never holds: all below 0x20 but tab, LF, VT, FF, CR and ESC; and DEL. */
function isControl(b: number): boolean {
  return (
    (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) ||
    b === 0x7f
  );
}

/**
 * What the input is when it is not text ("an executable or library (ELF)",
 * "binary data (NUL bytes)"), or null when it may be a capture. Compressed
 * archives are left to the caller, which says how to extract them.
 */
export function binaryKind(head: Uint8Array): string | null {
  if (head.length === 0 || isCompressed(head)) return null;
  for (const m of MAGIC) if (m.bytes.every((b, i) => head[i] === b)) return m.what;
  const bom16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (bom16 || nulPattern(head) !== null) return null;
  const n = Math.min(head.length, HEAD_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return "binary data (NUL bytes)";
    if (isControl(b)) controls++;
  }
  // A few stray control bytes are a damaged capture (its rows say so); many are not text.
  return controls > n / 10 ? "binary data (control bytes)" : null;
}
