/**
 * @module A capture inside a zip archive, with Debian's unzip (chosen over
 * an npm library, measured: see the README's Captures section): listed with
 * `zipinfo -l`, every member checked as tar's are (archive-members.ts), each
 * symlink's target read and checked too, the declared total capped, and only
 * then extracted whole into the private folder read-archive.ts made. A zip
 * is refused whole (not read in part, as a tar archive is) when any member
 * would land outside or is not a file, folder or link inside: zips of real
 * sosreports hold none (zip stores what a link points to unless told -y),
 * so such a member means a crafted archive. unzip runs under an fsize limit
 * of the cap, so a member whose header lies about its size cannot write
 * past it.
 */
import { InputError } from "../model/errors.js";
import { type ArchiveMember, memberProblem } from "./archive-members.js";
import { runArchiveTool } from "./archive-tool.js";
import { parseZipListing, unzipLiteral } from "./zip-members.js";

/** "PK\3\4": a zip's first local header; "PK\5\6": an empty zip. */
export function isZipHead(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))
  );
}

function unzip(args: string[], what: string, shown: string): string {
  return runArchiveTool("unzip", args, { what, shown, pkg: "unzip" });
}

/**
 * The zip's members once checked; InputError (one line) when one is unsafe,
 * there are too many, or their declared size is over cap.
 */
export function planZip(path: string, shown: string, cap: number, maxMembers: number): ArchiveMember[] {
  const listing = parseZipListing(unzip(["-Z", "-l", path], "list", shown));
  if (listing.length === 0) throw new InputError(`${shown}: an empty zip archive`);
  if (listing.length > maxMembers)
    throw new InputError(`${shown}: over ${maxMembers} members, not extracted`);
  let total = 0;
  for (const m of listing) {
    if (m === null) throw new InputError(`${shown}: unzip's listing of it could not be read, not extracted`);
    if (m.type === "l") m.target = unzip(["-p", "-qq", path, unzipLiteral(m.name)], "read", shown);
    const problem = m.name.startsWith("-")
      ? `${JSON.stringify(m.name)}: a name unzip would take as an option`
      : memberProblem(m);
    if (problem !== null) throw new InputError(`${shown}: refused, ${problem}`);
    total += m.type === "-" ? m.size : 0;
    if (total > cap) {
      throw new InputError(
        `${shown}: over ${Math.round(cap / 1048576)} MiB once extracted, not extracted (raise --input-limit)`,
      );
    }
  }
  return listing as ArchiveMember[];
}

/** Extract the whole (checked) zip into root: no file may grow past cap bytes, owners and modes not kept. */
export function extractZip(path: string, shown: string, root: string, cap: number): void {
  // -qq quiet, -o no prompts, -X off (no owners); prlimit: a lying header stops at cap.
  runArchiveTool("prlimit", [`--fsize=${Math.max(cap, 1)}`, "unzip", "-qq", "-o", path, "-d", root], {
    what: "extract",
    shown,
    tool: "unzip",
    pkg: "util-linux",
    okStatus: [1], // unzip's warnings (an extra field it skipped): the files are out
  });
}
