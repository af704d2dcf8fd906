/**
 * @module A capture inside a tar archive (.tar, .tar.gz, .tar.xz, .tar.bz2,
 * .tar.zst: what a sosreport is shipped as), read in place with the
 * system's GNU tar: listed first, its members checked (archive-members.ts),
 * the total size capped, then only the safe members extracted, without
 * owners or modes, into a private temporary folder that is removed
 * afterwards. The folder is then read like an unpacked one. A zip archive
 * goes through the same folder with unzip (zip-archive.ts).
 */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../model/errors.js";
import { type ArchiveMember, memberProblem, parseTarListing } from "./archive-members.js";
import { runArchiveTool } from "./archive-tool.js";
import { isCompressed } from "./decode-text.js";
import { extractZip, isZipHead, planZip } from "./zip-archive.js";

/** More members than any sosreport has; past this the archive is refused before extraction. */
const MAX_MEMBERS = 500_000;

/** The extracted size allowed: this many times the input limit (a sosreport holds far more than its listings). */
export const ARCHIVE_SIZE_FACTOR = 4;

/** Whether the first bytes are a zip, a tar archive (ustar at 257) or a compressed file tar may read. */
export function isArchiveHead(head: Uint8Array): boolean {
  if (isCompressed(head) || isZipHead(head)) return true;
  const magic = [0x75, 0x73, 0x74, 0x61, 0x72]; // "ustar"
  return head.length >= 262 && magic.every((b, i) => head[257 + i] === b);
}

/** The first bytes of a file, enough for the tar magic; empty when it cannot be read (the read that follows says why). */
export function headOf(path: string): Uint8Array {
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

function runTar(args: string[], what: string, shown: string): string {
  return runArchiveTool("tar", args, { what, shown, pkg: "tar" });
}

/** The members to extract, and what was left out; InputError when the archive is too big or not understood. */
function planExtraction(
  path: string,
  shown: string,
  cap: number,
): { keep: ArchiveMember[]; skipped: string[] } {
  const listing = parseTarListing(runTar(["-tv", "--numeric-owner", "-f", path], "list", shown));
  // tar lists a compressed file that holds no archive as empty, and exits 0.
  if (listing.length === 0) {
    throw new InputError(
      `${shown}: no tar archive in it (a compressed single file? decompress it and pass the text)`,
    );
  }
  if (listing.length > MAX_MEMBERS)
    throw new InputError(`${shown}: over ${MAX_MEMBERS} members, not extracted`);
  const keep: ArchiveMember[] = [];
  const skipped: string[] = [];
  let total = 0;
  for (const m of listing) {
    if (m === null) throw new InputError(`${shown}: tar's listing of it could not be read, not extracted`);
    const problem = m.name.startsWith("-")
      ? `${JSON.stringify(m.name)}: a name tar would take as an option`
      : memberProblem(m);
    if (problem !== null) {
      skipped.push(problem);
      continue;
    }
    total += m.type === "-" ? m.size : 0;
    if (total > cap) {
      throw new InputError(
        `${shown}: over ${Math.round(cap / 1048576)} MiB once extracted, not extracted (raise --input-limit)`,
      );
    }
    keep.push(m);
  }
  return { keep, skipped };
}

/** The folder the archive holds: its only top-level directory (sosreport-HOST-DATE/), else its root. */
function treeRoot(root: string): string {
  const entries = readdirSync(root);
  if (entries.length !== 1) return root;
  const only = join(root, entries[0]!);
  return statSync(only).isDirectory() ? only : root;
}

/**
 * What an archive holds: readTree reads the extracted folder (a sosreport,
 * or a sos collect folder of them) or, when the archive holds one file,
 * readFile reads that file; warn adds a warning to what they read. shown
 * names the archive in messages (outer/inner.tar.xz for one inside another).
 */
export function readArchive<T>(
  path: string,
  shown: string,
  limit: number,
  readTree: (dir: string, shown: string) => T,
  readFile: (file: string, shown: string) => T,
  warn: (read: T, warning: string) => void,
): T {
  const cap = limit * ARCHIVE_SIZE_FACTOR;
  const zip = isZipHead(headOf(path));
  const { keep, skipped } = zip
    ? { keep: planZip(path, shown, cap, MAX_MEMBERS), skipped: [] }
    : planExtraction(path, shown, cap);
  const base = mkdtempSync(join(tmpdir(), "sockdoc-archive-"));
  try {
    const root = join(base, "root");
    mkdirSync(root, { mode: 0o700 });
    if (zip) extractZip(path, shown, root, cap);
    else extractTar(path, shown, base, root, keep);
    const top = treeRoot(root);
    const files = readdirSync(top);
    const single = files.length === 1 && statSync(join(top, files[0]!)).isFile();
    const snap = single ? readFile(join(top, files[0]!), `${shown}:${files[0]}`) : readTree(top, shown);
    if (skipped.length > 0) {
      warn(
        snap,
        `${shown}: ${skipped.length} member${skipped.length === 1 ? "" : "s"} not extracted (${skipped.slice(0, 3).join("; ")})`,
      );
    }
    return snap;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** The checked members of a tar archive extracted into root, and only they. */
function extractTar(path: string, shown: string, base: string, root: string, keep: ArchiveMember[]): void {
  const list = join(base, "members");
  // tar -tv escapes odd bytes in names; -T unquotes them again (GNU tar's default).
  // Directories are not named (tar makes them for their files): naming one would
  // extract all it holds, the members left out included; --no-recursion says so too.
  writeFileSync(
    list,
    keep
      .filter((m) => m.type !== "d")
      .map((m) => `${m.name}\n`)
      .join(""),
  );
  runTar(
    ["-x", "-f", path, "-C", root, "--no-same-owner", "--no-same-permissions", "--no-recursion", "-T", list],
    "extract",
    shown,
  );
}
