/**
 * @module Bytes of a captured file to text: UTF-16 (PowerShell's `>` writes
 * UTF-16LE with a BOM), a UTF-8 BOM, CRLF and Windows's CR CR LF line ends.
 * Parsers then see plain "\n"-separated text. Pure.
 */

/** Compressed archives people pass instead of the extracted folder (gzip, xz, bzip2, zstd). */
const ARCHIVE_MAGIC: ReadonlyArray<readonly number[]> = [
  [0x1f, 0x8b],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  [0x42, 0x5a, 0x68],
  [0x28, 0xb5, 0x2f, 0xfd],
];

/** Whether the bytes start like a compressed archive (a sosreport tarball, say). */
export function isCompressed(bytes: Uint8Array): boolean {
  return ARCHIVE_MAGIC.some((magic) => magic.every((b, i) => bytes[i] === b));
}

/** UTF-16 without a BOM: most of the first bytes are ASCII with a NUL beside each. */
export function nulPattern(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.9 && evenNul === 0) return "utf-16le";
  if (evenNul > pairs * 0.9 && oddNul === 0) return "utf-16be";
  return null;
}

function utf16be(bytes: Uint8Array): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  swapped.swap16();
  return swapped.toString("utf16le");
}

/** The text of a capture file, with "\n" line ends and no BOM. */
export function decodeCaptureText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) text = buf.subarray(2).toString("utf16le");
  else if (buf[0] === 0xfe && buf[1] === 0xff) text = utf16be(buf.subarray(2));
  else if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) text = buf.subarray(3).toString("utf8");
  else {
    const guess = nulPattern(buf);
    text =
      guess === "utf-16le"
        ? buf.toString("utf16le")
        : guess === "utf-16be"
          ? utf16be(buf)
          : buf.toString("utf8");
  }
  return text.replace(/\r+\n|\r/g, "\n");
}
