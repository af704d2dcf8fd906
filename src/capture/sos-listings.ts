/**
 * @module The socket listings a sosreport (or a folder like one) holds, ranked:
 * ss with -p, netstat with -p, /proc/net/tcp{,6}, then ss and netstat without
 * -p. Owners are what CLOSE_WAIT analysis needs most; /proc still has inodes,
 * uids and timers, which plain ss and netstat lack.
 */
import type { CaptureFormat } from "./capture.js";

export interface Listing {
  /** Path inside the folder, as shown to the user ("sos_commands/networking/ss_-peaonmi"). */
  rel: string;
  format: CaptureFormat;
  /** Whether the listing names owning processes (ss -p, netstat -p). */
  withOwners: boolean;
}

/** Folders searched for ss_* and netstat_* files. */
export const LISTING_DIRS = ["sos_commands/networking", "."];

/** sos names a command's output after it: "ss -peaonmi" -> "ss_-peaonmi". */
export function isListingName(name: string): boolean {
  return /^(?:ss|netstat)(?:$|[_\-. ])/.test(name);
}

/** Whether a command line in a file name asked for processes (-p in a short-option group, --processes, --program). */
export function nameAsksOwners(name: string): boolean {
  return name
    .split(/[_ ]/)
    .some((arg) => /^-[a-zA-Z]*p[a-zA-Z]*$/.test(arg) || arg === "--processes" || arg === "--program");
}

/** Whether the text itself shows owners: ss users:((...)) or netstat's PID/Program column. */
export function textShowsOwners(format: CaptureFormat, text: string): boolean {
  if (format === "ss") return text.includes("users:((");
  return /PID\/Program name/.test(text);
}

function rank(l: Listing): number {
  if (l.format.startsWith("proc-net")) return 2;
  const ss = l.format === "ss";
  if (l.withOwners) return ss ? 0 : 1;
  return ss ? 3 : 4;
}

/** Listings best first; within a rank, the one whose flags ask for more (-e, -o), then by name. */
export function rankListings(listings: Listing[]): Listing[] {
  const extras = (rel: string): number =>
    (/_-[a-zA-Z]*e/.test(rel) ? 1 : 0) + (/_-[a-zA-Z]*o/.test(rel) ? 1 : 0);
  return [...listings].sort(
    (a, b) => rank(a) - rank(b) || extras(b.rel) - extras(a.rel) || a.rel.localeCompare(b.rel),
  );
}
