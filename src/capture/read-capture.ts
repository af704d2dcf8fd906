/**
 * @module The I/O edge of capture analysis: a file ("-" = stdin) or a
 * sosreport folder in, a Snapshot out. The format is told from the content
 * (detect.ts), never from the file name.
 */
import { type Stats, statSync } from "node:fs";
import { InputError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { invalidAddressWarning } from "./address-check.js";
import { detectCaptureFormat, parserFor } from "./detect.js";
import { DEFAULT_INPUT_LIMIT } from "./input-limit.js";
import { captureTextOfBytes, fsReason, readCaptureText } from "./read-file.js";
import { headOf, isArchiveHead, readArchive } from "./read-archive.js";
import { readSosreport } from "./sosreport.js";
import { type CaptureSource, heldCapture, UNKNOWN_CAPTURE_HOST } from "./capture-source.js";
import { openCaptureStream, unknownFormat } from "./stream-capture.js";
import { findHostReports, MAX_HOSTS } from "./sos-collect.js";

export { UNKNOWN_CAPTURE_HOST };

/** A capture's text as a Snapshot; shown names it in messages, takenAt is when it was written. */
export function snapshotFromText(text: string, shown: string, takenAt: number): Snapshot {
  const format = detectCaptureFormat(text);
  if (format === null) throw unknownFormat(text, shown);
  const parse = parserFor(format)(text, shown);
  const odd = invalidAddressWarning(parse.sockets, shown);
  if (odd !== null) parse.warnings.push(odd);
  return {
    sockets: parse.sockets,
    host: { hostname: UNKNOWN_CAPTURE_HOST, kernel: null, sysctls: {} },
    source: { kind: "capture", detail: `capture: ${shown} (${format})` },
    takenAt,
    ownersResolved: parse.ownersKnown,
    warnings: parse.warnings,
  };
}

/** A capture's bytes as a Snapshot: snapshotFromText once they are known to be text. */
export function snapshotFromBytes(bytes: Uint8Array, shown: string, takenAt: number): Snapshot {
  return snapshotFromText(captureTextOfBytes(bytes, shown), shown, takenAt);
}

/** One capture file as a Snapshot, dated by its mtime. */
function snapshotOfFile(file: string, shown: string, limit: number): Snapshot {
  return snapshotFromText(readCaptureText(file, shown, limit), shown, Math.trunc(statSync(file).mtimeMs));
}

/**
 * The hosts of a folder: the sosreport it is, or, when it has no socket
 * listing of its own and holds host reports (a `sos collect` folder,
 * sos-collect.ts), each of them, read in name order. Only the top level
 * looks for host reports: one inside a host's report is not read (no
 * archive of archives of archives).
 */
function readFolderHosts(dir: string, shown: string, limit: number, top: boolean): Snapshot[] {
  try {
    return [readSosreport(dir, limit, shown)];
  } catch (err) {
    if (!(err instanceof InputError) || !top) throw err;
    const reports = findHostReports(dir, (path) => isArchiveHead(headOf(path)));
    if (reports.length === 0) throw err;
    if (reports.length > MAX_HOSTS)
      throw new InputError(`${shown}: over ${MAX_HOSTS} host reports, not read`);
    const hosts: Snapshot[] = [];
    const failed: string[] = [];
    for (const r of reports) {
      const at = `${shown}/${r.rel}`;
      try {
        if (r.kind === "folder") hosts.push(readSosreport(r.path, limit, at));
        else hosts.push(...readArchiveHosts(r.path, at, limit, false));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        failed.push(e.message);
      }
    }
    if (hosts.length === 0) {
      throw new InputError(
        `${shown}: none of its ${reports.length} host reports could be read (${failed[0]})`,
      );
    }
    for (const h of hosts) for (const f of failed) h.warnings.push(`${shown}: skipped a host report: ${f}`);
    return hosts;
  }
}

function readArchiveHosts(path: string, shown: string, limit: number, top: boolean): Snapshot[] {
  return readArchive<Snapshot[]>(
    path,
    shown,
    limit,
    (dir, at) => readFolderHosts(dir, at, limit, top),
    (file, at) => [snapshotOfFile(file, at, limit)],
    (hosts, warning) => {
      for (const h of hosts) h.warnings.push(warning);
    },
  );
}

/**
 * Read a capture: a file of netstat, ss or /proc/net/tcp{,6} output, "-" for
 * stdin, a sosreport folder, or either in a tar or zip archive; a `sos
 * collect` archive or folder gives one Snapshot per host, otherwise there is
 * one. InputError (one line) when it cannot be read or its format is not
 * recognised, is binary, or is over limit bytes (each file of a sosreport is
 * held to it).
 */
export function readCaptureHosts(path: string, limit: number = DEFAULT_INPUT_LIMIT): Snapshot[] {
  if (path === "-") return [snapshotFromText(readCaptureText("-", "stdin", limit), "stdin", Date.now())];
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${fsReason(err)}`, { cause: err });
  }
  if (st.isDirectory()) return readFolderHosts(path, path.replace(/\/+$/, "") || "/", limit, true);
  if (st.isFile() && isArchiveHead(headOf(path))) return readArchiveHosts(path, path, limit, true);
  return [snapshotFromText(readCaptureText(path, path, limit), path, Math.trunc(st.mtimeMs))];
}

/** readCaptureHosts for one host: InputError when the capture holds several. */
export function readCapture(path: string, limit: number = DEFAULT_INPUT_LIMIT): Snapshot {
  const hosts = readCaptureHosts(path, limit);
  if (hosts.length > 1) {
    throw new InputError(
      `${path} holds ${hosts.length} hosts' reports (a sos collect archive): read one at a time`,
    );
  }
  return hosts[0]!;
}

/** A capture of several hosts (a `sos collect` archive or folder): their snapshots, each read whole. */
export interface ManyHosts {
  hosts: Snapshot[];
}

/**
 * A capture to inspect: readCapture's, except that a capture file or stdin
 * is streamed (its netstat or ss rows parsed as the inspection reads them,
 * never all held); a sosreport or an archive is read whole, and one of
 * several hosts gives their snapshots instead.
 */
export function openCapture(path: string, limit: number = DEFAULT_INPUT_LIMIT): CaptureSource | ManyHosts {
  const whole = (shown: string, takenAt: number) => (text: string) =>
    heldCapture(snapshotFromText(text, shown, takenAt));
  if (path === "-") return openCaptureStream("-", "stdin", limit, Date.now(), whole("stdin", Date.now()));
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${fsReason(err)}`, { cause: err });
  }
  if (st.isDirectory() || (st.isFile() && isArchiveHead(headOf(path)))) {
    const hosts = readCaptureHosts(path, limit);
    return hosts.length > 1 ? { hosts } : heldCapture(hosts[0]!);
  }
  const takenAt = Math.trunc(st.mtimeMs);
  return openCaptureStream(path, path, limit, takenAt, whole(path, takenAt));
}
