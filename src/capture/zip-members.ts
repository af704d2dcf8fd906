/**
 * @module The members of a zip archive as `zipinfo -l` (`unzip -Zl`) lists
 * them, as ArchiveMembers for the checks tar's members go through
 * (archive-members.ts). Pure.
 */
import type { ArchiveMember } from "./archive-members.js";

/**
 * "-rw-r--r--  3.0 unx   1234 tx   567 defN 26-Dec-05 03:00 name": mode (or
 * "?rw-------" from a zip with no Unix type, "-rw-a--" from Windows), zip
 * version, system, size, kind, compressed size, method, date, time, name.
 */
const LINE = /^(\S)\S*\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\d+\s+\S+\s+\S+\s+\d\d:\d\d\s(.*)$/;

/** The first two lines (archive name, size) and the last (totals) are not members. */
const FRAME = /^(Archive: |Zip file size: |\d+ files?, \d+ bytes? uncompressed)/;

/**
 * The listing's members; null for a line that is not one (the caller
 * refuses the archive). A symlink's target is not in the listing: it is
 * null here, read from the archive by the caller. A type zipinfo cannot tell
 * ("?") is a directory when the name ends with "/", else a file.
 */
export function parseZipListing(text: string): Array<ArchiveMember | null> {
  const out: Array<ArchiveMember | null> = [];
  for (const line of text.split("\n")) {
    if (line === "" || FRAME.test(line)) continue;
    const m = LINE.exec(line);
    if (!m) {
      out.push(null);
      continue;
    }
    let name = m[3]!;
    let type = m[1]!;
    if (name.endsWith("/")) {
      if (type === "-" || type === "?") type = "d";
      name = name.replace(/\/+$/, "");
    } else if (type === "?") type = "-";
    out.push({ type, name, size: Number(m[2]), target: null });
  }
  return out;
}

/** A member's name as a pattern unzip matches literally: its wildcards escaped. */
export function unzipLiteral(name: string): string {
  return name.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}
