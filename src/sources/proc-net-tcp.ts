/**
 * @module /proc/net/tcp and /proc/net/tcp6: the fallback when netlink is not
 * available, and the format of captured dumps. Busy hosts have 100k+ rows, so
 * rows are read in place: a fast path checks the kernel's fixed-width layout
 * ("%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu")
 * by offset, and only rows that break it go through a tokenizer that also
 * names the bad field.
 */
import type { Family } from "../model/endpoint.js";
import { InputError, PermissionError } from "../model/errors.js";
import type { TcpSocket } from "../model/socket.js";
import { ALL_STATES_MASK } from "../model/tcp-state.js";
import { type Fields, fastRow, slowRow, toSocket } from "./proc-net-tcp/rows.js";
import type { ProcFs } from "./procfs.js";

export interface ProcNetTcpResult {
  sockets: TcpSocket[];
  warnings: string[];
}

/** Detailed warnings kept per file; past this, one line counts the rest. */
const MAX_LINE_WARNINGS = 20;

/**
 * Parse the text of /proc/net/tcp (family 4) or tcp6 (family 6), keeping rows
 * whose state is in statesMask. Header lines are skipped wherever they are
 * (concatenated dumps). Bad rows are skipped with a warning naming origin,
 * line and field; InputError when rows were there but not one parses
 * (a header alone is an empty table). Rows repeated by the kernel are counted as printed.
 */
export function parseProcNetTcp(
  text: string,
  family: Family,
  origin: string = family === 4 ? "/proc/net/tcp" : "/proc/net/tcp6",
  statesMask: number = ALL_STATES_MASK,
): ProcNetTcpResult {
  const sockets: TcpSocket[] = [];
  const warnings: string[] = [];
  let rows = 0;
  let bad = 0;
  let firstBad = "";
  let lastInode: number | null = 0;
  let duplicates = 0;
  let lineNo = 0;
  for (let ls = 0; ls < text.length;) {
    let le = text.indexOf("\n", ls);
    if (le < 0) le = text.length;
    lineNo++;
    let row: TcpSocket | "skip" | null = fastRow(text, ls, le, family, statesMask);
    if (row === null) {
      const line = text.slice(ls, le).trim();
      const slow = line === "" || /^sl\b/.test(line) ? "header" : slowRow(line, family, statesMask);
      if (slow === "header") {
        ls = le + 1;
        continue;
      }
      if (typeof slow === "string" && slow !== "skip") {
        const msg = `${origin}:${lineNo}: bad ${slow} field, line skipped`;
        if (++bad === 1) firstBad = msg;
        if (bad <= MAX_LINE_WARNINGS) warnings.push(msg);
        ls = le + 1;
        continue;
      }
      row = slow === "skip" ? slow : toSocket(family, slow as Fields);
    }
    ls = le + 1;
    rows++;
    if (row === "skip") continue;
    // The kernel re-prints a row when sockets come and go between two reads of the file.
    if (row.inode !== 0 && row.inode === lastInode) duplicates++;
    lastInode = row.inode;
    sockets.push(row);
  }
  if (rows === 0 && bad > 0) {
    throw new InputError(`${origin}: not a /proc/net/tcp${family === 6 ? "6" : ""} listing (${firstBad})`);
  }
  if (bad > MAX_LINE_WARNINGS)
    warnings.push(`${origin}: ${bad - MAX_LINE_WARNINGS} more malformed lines skipped`);
  if (duplicates > 0) {
    warnings.push(
      `${origin}: ${duplicates} rows repeat the row before them (same inode); counted as printed`,
    );
  }
  return { sockets, warnings };
}

/**
 * Read net/tcp and/or net/tcp6 under proc's root, keeping the states in
 * statesMask. A missing tcp6 (IPv6 disabled) is not an error; a missing tcp
 * beside a tcp6 (a partial copy of /proc) gives the IPv6 sockets and a
 * warning. InputError only when none of the files asked for is there.
 */
export function readProcNetTcp(
  proc: ProcFs,
  families: Iterable<Family> = [4, 6],
  statesMask: number = ALL_STATES_MASK,
): ProcNetTcpResult {
  const sockets: TcpSocket[] = [];
  const warnings: string[] = [];
  let read = 0;
  let missingV4: unknown = null;
  for (const family of families) {
    const name = family === 4 ? "tcp" : "tcp6";
    const path = proc.path("net", name);
    let content: string;
    try {
      content = proc.read("net", name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && family === 6) continue;
      if (code === "ENOENT") {
        missingV4 = err;
        continue;
      }
      if (code === "EACCES" || code === "EPERM") {
        throw new PermissionError(`cannot read ${path}: permission denied; run as root (sudo sockdoc ...)`, {
          cause: err,
        });
      }
      throw new InputError(`cannot read ${path}: ${code ?? (err as Error).message}`, { cause: err });
    }
    const result = parseProcNetTcp(content, family, path, statesMask);
    for (const s of result.sockets) sockets.push(s);
    warnings.push(...result.warnings);
    read++;
  }
  if (missingV4 !== null) {
    const path = proc.path("net", "tcp");
    if (read === 0) {
      throw new InputError(`cannot read ${path}: no such file or directory`, { cause: missingV4 });
    }
    warnings.unshift(`${path}: no such file; IPv4 sockets not read, only IPv6 (a partial result)`);
  }
  return { sockets, warnings };
}
