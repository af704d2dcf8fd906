/**
 * @module Read the sysctl config files of a root ("/" by default, a fixture
 * tree in tests) in load order (sysctl-conf-order.ts) and parse each
 * (sysctl-conf-parse.ts). A file that cannot be read becomes a warning, never
 * an exception: a lint of the rest is still worth having. A root that is not
 * a directory is an InputError: a mistyped --root must not lint as clean.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../model/errors.js";
import { type ConfAssignment, type ConfProblem, parseSysctlConf } from "./sysctl-conf-parse.js";
import {
  isConfName,
  type OrderedFile,
  orderConfigFiles,
  SYSCTL_CONF,
  SYSCTL_D_DIRS,
} from "./sysctl-conf-order.js";

export interface ConfFile {
  /** Path as shown to people: root joined with the relative path. */
  path: string;
  /** Same-named files this one replaces (not read). */
  shadows: string[];
}

export interface SysctlConfig {
  root: string;
  files: ConfFile[];
  /** Every assignment, in load order: the later one of a key wins. */
  assignments: ConfAssignment[];
  problems: ConfProblem[];
  warnings: string[];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile() || statSync(path).isCharacterDevice(); // a link to /dev/null masks
  } catch {
    return false;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function confNames(root: string, dir: string, warnings: string[]): string[] {
  const full = join(root, dir);
  try {
    return readdirSync(full).filter((n) => isConfName(n) && isFile(join(full, n)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR")
      warnings.push(`cannot list ${full} (${code}); its files were not read`);
    return [];
  }
}

function checkRoot(root: string): void {
  let dir: boolean;
  try {
    dir = statSync(root).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(code === "ENOENT" ? `no such root ${root}` : `cannot read root ${root} (${code})`, {
      cause: err,
    });
  }
  if (!dir) throw new InputError(`root ${root} is not a directory`);
}

export function readSysctlConfig(root = "/"): SysctlConfig {
  checkRoot(root);
  const warnings: string[] = [];
  const listing = new Map<string, string[]>();
  for (const dir of SYSCTL_D_DIRS) listing.set(dir, confNames(root, dir, warnings));
  const ordered: OrderedFile[] = orderConfigFiles(listing, isFile(join(root, SYSCTL_CONF)));
  const config: SysctlConfig = { root, files: [], assignments: [], problems: [], warnings };
  for (const f of ordered) {
    const path = join(root, f.path);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      warnings.push(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"}); skipped`);
      continue;
    }
    // With /lib a link to /usr/lib (merged /usr) a "shadowed" file is the same file: not worth a word.
    const shadows = f.shadows.map((s) => join(root, s)).filter((s) => realOrSelf(s) !== realOrSelf(path));
    config.files.push({ path, shadows });
    const parsed = parseSysctlConf(text, path);
    config.assignments.push(...parsed.assignments);
    config.problems.push(...parsed.problems);
  }
  return config;
}
