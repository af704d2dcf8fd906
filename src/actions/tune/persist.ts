/**
 * @module Writing (and putting back) the --persist file: the previous
 * content goes to the journal first, then the file is replaced atomically
 * (atomic-write.ts), so a crash leaves the old or the new file, never half
 * of one; a symlink is written through, not replaced.
 */
import { readFileSync, realpathSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { effectiveAssignments, where } from "../../analysis/advisor/lint/effective.js";
import { InputError, PermissionError } from "../../model/errors.js";
import type { SysctlConfig } from "../../sources/sysctl-conf.js";
import { writeFileAtomic, writeTarget } from "./atomic-write.js";
import type { JournalSink } from "./execute.js";
import type { BatchContext } from "./types.js";

/** The file's content; null when it does not exist. Other failures are one-line errors naming it. */
export function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") return null;
    if (code === "EACCES" || code === "EPERM") {
      throw new PermissionError(`cannot read ${path} (${code}); run as root (sudo)`, { cause: err });
    }
    const what = code === "EISDIR" ? "it is a directory, not a file" : "cannot read it";
    throw new InputError(`${path}: ${what} (${code})`, { cause: err });
  }
}

/** Journals, then writes content to file (null removes it). file is made absolute for the journal. */
export function replaceFile(
  file: string,
  content: string | null,
  journal: JournalSink,
  ctx: BatchContext,
  of: string | null,
): void {
  const path = resolve(file);
  const previous = readOptional(path);
  journal.append({
    v: 1,
    time: ctx.time.toISOString(),
    batch: ctx.batch,
    host: ctx.host,
    user: ctx.user,
    action: "persist",
    file: path,
    previous,
    content,
    of,
  });
  if (content === null) {
    rmSync(path, { force: true });
    return;
  }
  writeFileAtomic(writeTarget(path), content);
}

/** A link and its target are one file (Debian's 99-sysctl.conf -> ../sysctl.conf). */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Why the persisted values might not hold at boot: the file is not one that
 * sysctl --system reads, or a file loaded after it sets the same key.
 */
export function persistWarnings(config: SysctlConfig, file: string, names: readonly string[]): string[] {
  const path = realOrResolved(file);
  if (!config.files.some((f) => realOrResolved(f.path) === path)) {
    return [
      `${file} is not read at boot (sysctl --system reads *.conf in /etc/sysctl.d, /run/sysctl.d, /usr/lib/sysctl.d ...)`,
    ];
  }
  const winners = effectiveAssignments(config.assignments);
  const warnings: string[] = [];
  for (const name of names) {
    const w = winners.get(name)?.winner;
    if (w && realOrResolved(w.file) !== path) {
      warnings.push(`${where(w)} also sets ${name} (= ${w.value}) and is loaded later, so it wins at boot`);
    }
  }
  return warnings;
}
