/**
 * @module Writing (and putting back) the --persist file: the previous
 * content goes to the journal first, then the file is replaced atomically
 * (a temp file renamed over it), so a crash leaves the old or the new file,
 * never half of one.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { effectiveAssignments, where } from "../../analysis/advisor/lint/effective.js";
import type { SysctlConfig } from "../../sources/sysctl-conf.js";
import type { JournalSink } from "./execute.js";
import type { BatchContext } from "./types.js";

export function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** Journals, then writes content to file (null removes it). */
export function replaceFile(
  file: string,
  content: string | null,
  journal: JournalSink,
  ctx: BatchContext,
  of: string | null,
): void {
  const previous = readOptional(file);
  journal.append({
    v: 1,
    time: ctx.time.toISOString(),
    batch: ctx.batch,
    host: ctx.host,
    user: ctx.user,
    action: "persist",
    file,
    previous,
    content,
    of,
  });
  if (content === null) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.sockdoc-${process.pid}`;
  writeFileSync(temp, content, { mode: 0o644 });
  renameSync(temp, file);
}

/**
 * Why the persisted values might not hold at boot: the file is not one that
 * sysctl --system reads, or a file loaded after it sets the same key.
 */
export function persistWarnings(config: SysctlConfig, file: string, names: readonly string[]): string[] {
  const path = resolve(file);
  if (!config.files.some((f) => resolve(f.path) === path)) {
    return [
      `${file} is not read at boot (sysctl --system reads *.conf in /etc/sysctl.d, /run/sysctl.d, /usr/lib/sysctl.d ...)`,
    ];
  }
  const winners = effectiveAssignments(config.assignments);
  const warnings: string[] = [];
  for (const name of names) {
    const w = winners.get(name)?.winner;
    if (w && resolve(w.file) !== path) {
      warnings.push(`${where(w)} also sets ${name} (= ${w.value}) and is loaded later, so it wins at boot`);
    }
  }
  return warnings;
}
