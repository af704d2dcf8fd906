/**
 * @module Reading and writing sysctls by name under a proc root: /proc by
 * default, whose sys/ is this process's own (inside `ip netns exec` the net.*
 * files are that namespace's). Tests hand a temp dir instead, or an object
 * of their own that fails where they want.
 */
import { accessSync, constants, writeFileSync } from "node:fs";
import { ProcFs } from "../../sources/procfs.js";
import { sysctlPath } from "../../sources/sysctl.js";

export interface SysctlIo {
  /** The directory the names live under, for messages and the journal ("/proc/sys"). */
  readonly where: string;
  /** The value as the kernel prints it, trimmed; throws the fs error (ENOENT when the kernel lacks it). */
  read(name: string): string;
  /** Writes value; throws the fs error (EINVAL when the kernel refuses it). */
  write(name: string, value: string): void;
  /** null when name looks writable; else the errno name (EACCES, EROFS). */
  denied(name: string): string | null;
}

export function procSysIo(procRoot = "/proc"): SysctlIo {
  const proc = new ProcFs(procRoot);
  return {
    where: proc.path("sys"),
    read: (name) => proc.read(...sysctlPath(name)).trim(),
    // One write(2) of the whole value: the kernel parses each write on its own.
    write: (name, value) => writeFileSync(proc.path(...sysctlPath(name)), `${value}\n`),
    denied: (name) => {
      try {
        accessSync(proc.path(...sysctlPath(name)), constants.W_OK);
        return null;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code ?? "EACCES";
      }
    },
  };
}

export function errnoOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}
