/**
 * @module Writing a whole file so that a reader never sees half of it: a
 * temp file in the same directory (same file system, so rename is atomic),
 * written and synced, then renamed over the target. node_exporter's
 * textfile collector may read at any moment; the temp name does not end in
 * .prom, so it is never collected. A failed write leaves no temp file.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError, PermissionError } from "../model/errors.js";

export function writeFileAtomic(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, "w", 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    const e = err as NodeJS.ErrnoException;
    const message = `cannot write ${file}: ${e.code ?? e.message}`;
    throw e.code === "EACCES" || e.code === "EPERM" ? new PermissionError(message) : new InputError(message);
  }
}
