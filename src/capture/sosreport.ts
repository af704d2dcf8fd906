/**
 * @module A sosreport folder (or one laid out like it) as a Snapshot: finds
 * the socket listings inside, reads the best one (sos-listings.ts says which),
 * and takes hostname, kernel and sysctls from the folder. Says in the source
 * detail which file was read, and in a warning which others were not.
 */
import { statSync } from "node:fs";
import { InputError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { invalidAddressWarning } from "./address-check.js";
import type { CaptureParse } from "./capture.js";
import { detectCaptureFormat, parserFor } from "./detect.js";
import { DEFAULT_INPUT_LIMIT } from "./input-limit.js";
import { OverLimitError, readCaptureText } from "./read-file.js";
import { resolveInRoot, listInRoot } from "./resolve-in-root.js";
import { DEFAULT_SERVICES, parseServicesFile, type ServiceTable } from "../model/service-names.js";
import { readSosHostFacts } from "./sos-host.js";
import {
  isListingName,
  LISTING_DIRS,
  type Listing,
  nameAsksOwners,
  rankListings,
  textShowsOwners,
} from "./sos-listings.js";

const PROC_TCP = "proc/net/tcp";
const PROC_TCP6 = "proc/net/tcp6";

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The path of rel inside root when it is a file there, else null. */
function fileInRoot(root: string, rel: string): string | null {
  const path = resolveInRoot(root, rel);
  return path !== null && isFile(path) ? path : null;
}

/**
 * ss_* and netstat_* files that hold a socket listing (netstat -s and the
 * like do not). Files over the input limit go to tooBig, to be said.
 */
function commandListings(root: string, limit: number, tooBig: string[]): Listing[] {
  const out: Listing[] = [];
  for (const dir of LISTING_DIRS) {
    for (const name of listInRoot(root, dir).filter(isListingName)) {
      const rel = dir === "." ? name : `${dir}/${name}`;
      const path = fileInRoot(root, rel);
      if (path === null) continue;
      let text: string;
      try {
        text = readCaptureText(path, rel, limit);
      } catch (err) {
        if (err instanceof OverLimitError) tooBig.push(err.message);
        continue; // unreadable, binary or an archive: not a listing sockdoc can use
      }
      const format = detectCaptureFormat(text);
      if (format === null || format.startsWith("proc-net")) continue;
      out.push({ rel, format, withOwners: nameAsksOwners(name) || textShowsOwners(format, text) });
    }
  }
  return out;
}

/** proc/net/tcp and tcp6 (often through proc/net -> self/net) as one listing. */
function procListing(root: string): Listing | null {
  const v4 = fileInRoot(root, PROC_TCP);
  const v6 = fileInRoot(root, PROC_TCP6);
  if (v4 === null && v6 === null) return null;
  const rel = v4 && v6 ? `${PROC_TCP} + ${PROC_TCP6}` : v4 ? PROC_TCP : PROC_TCP6;
  return { rel, format: v4 ? "proc-net-tcp" : "proc-net-tcp6", withOwners: false };
}

/**
 * The host's own etc/services when the sosreport has one: its tools printed
 * the service names with it (over the shipped table). Undefined (the
 * shipped table alone) otherwise.
 */
function sosServices(root: string, limit: number): ServiceTable | undefined {
  const path = fileInRoot(root, "etc/services");
  if (path === null) return undefined;
  try {
    const table = parseServicesFile(readCaptureText(path, "etc/services", limit));
    // The host's names win; the shipped table still names what its file lacks.
    return table.size > 0 ? new Map([...DEFAULT_SERVICES, ...table]) : undefined;
  } catch {
    return undefined; // unreadable or binary: the shipped table still names the usual ports
  }
}

/** Parse one listing; the proc pair is read as one. Returns the parse and the newest mtime read. */
function parseListing(root: string, l: Listing, limit: number): { parse: CaptureParse; mtimeMs: number } {
  const services = sosServices(root, limit);
  const rels = l.format.startsWith("proc-net") ? l.rel.split(" + ") : [l.rel];
  const merged: CaptureParse = { sockets: [], warnings: [], ownersKnown: true };
  let mtimeMs = 0;
  const empty: string[] = [];
  for (const rel of rels) {
    const path = fileInRoot(root, rel)!;
    const text = readCaptureText(path, rel, limit);
    // The kernel always prints a header: an empty dump is a copy that lost its content (cp of /proc).
    if (text.trim() === "") {
      empty.push(rel);
      continue;
    }
    const format = rel === PROC_TCP6 ? "proc-net-tcp6" : rel === PROC_TCP ? "proc-net-tcp" : l.format;
    const parse = parserFor(format)(text, rel, services);
    // A loop, not push(...): a busy host's 100k sockets would overflow the argument list.
    for (const s of parse.sockets) merged.sockets.push(s);
    merged.warnings.push(...parse.warnings);
    const odd = invalidAddressWarning(parse.sockets, rel);
    if (odd !== null) merged.warnings.push(odd);
    merged.ownersKnown &&= parse.ownersKnown;
    mtimeMs = Math.max(mtimeMs, statSync(path).mtimeMs);
  }
  if (empty.length === rels.length) throw new InputError(`${empty.join(" and ")}: empty file`);
  if (empty.length > 0) merged.warnings.push(`${empty.join(", ")}: empty file, not read`);
  return { parse: merged, mtimeMs };
}

/**
 * The snapshot a sosreport folder holds, each file read up to limit bytes.
 * InputError when it has no readable socket listing.
 */
export function readSosreport(dir: string, limit: number = DEFAULT_INPUT_LIMIT, shownAs?: string): Snapshot {
  const shown = shownAs ?? (dir.replace(/\/+$/, "") || "/");
  const proc = procListing(dir);
  const failed: string[] = [];
  const ranked = rankListings([...commandListings(dir, limit, failed), ...(proc ? [proc] : [])]);
  if (ranked.length === 0) {
    throw new InputError(
      failed.length > 0
        ? `${shown}: no socket listing could be read (${failed[0]})`
        : `${shown}: no socket listing found (looked for sos_commands/networking/ss_* and netstat_*, ${PROC_TCP}, ${PROC_TCP6})`,
    );
  }
  for (const [i, l] of ranked.entries()) {
    let read: { parse: CaptureParse; mtimeMs: number };
    try {
      read = parseListing(dir, l, limit);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      failed.push(err.message);
      continue;
    }
    const ignored = ranked.filter((_, j) => j > i).map((o) => o.rel);
    const warnings = [...failed.map((f) => `${shown}: skipped ${f}`), ...read.parse.warnings];
    if (ignored.length > 0) warnings.push(`${shown}: read ${l.rel}; ignored ${ignored.join(", ")}`);
    return {
      sockets: read.parse.sockets,
      host: readSosHostFacts(dir),
      source: { kind: "capture", detail: `capture: ${shown}/${l.rel} (${l.format})` },
      takenAt: Math.trunc(read.mtimeMs),
      ownersResolved: read.parse.ownersKnown,
      warnings,
    };
  }
  throw new InputError(`${shown}: no socket listing could be read (${failed[0]})`);
}
