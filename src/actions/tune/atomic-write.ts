/**
 * @module Replacing a file atomically, for the --persist file: a temp file
 * beside it (hidden and not *.conf, so sysctl never loads it), written,
 * given the old file's mode (and owner, when run as root), synced, then
 * renamed over it, and the directory synced. A crash leaves the old or the
 * new file, never half of one; a failed write leaves no temp file. A symlink
 * is written through, not replaced (Debian ships /etc/sysctl.d/99-sysctl.conf
 * -> ../sysctl.conf).
 */
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Where writing file lands: through a symlink (even one whose target is not there yet) to its target. */
export function writeTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Not there yet; or a dangling link, written where it points.
  }
  try {
    return resolve(dirname(file), readlinkSync(file));
  } catch {
    return file;
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** So the rename itself survives a crash. Best effort: not every file system syncs a directory. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // See above.
  }
}

/** Replaces target with content: temp file beside it (hidden, not *.conf), synced, renamed over it. */
export function writeFileAtomic(target: string, content: string): void {
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const old = statOrNull(target);
  const temp = join(dir, `.${basename(target)}.sockdoc-${process.pid}`);
  let fd: number | null = null;
  try {
    rmSync(temp, { force: true });
    fd = openSync(temp, "wx", 0o600);
    writeSync(fd, content);
    fchmodSync(fd, old ? old.mode & 0o7777 : 0o644);
    if (old && process.geteuid?.() === 0) fchownSync(fd, old.uid, old.gid);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, target);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  syncDir(dir);
}
