/**
 * @module Where sockdoc is installed: the directory that holds its
 * package.json, found by walking up from this module. The walk gives the same
 * answer from the compiled tree (dist/src/...) and from the one-file bundle
 * (dist/sockdoc.cjs) that bin/sockdoc runs, whose modules all share one URL.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function installRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  cached = dir;
  return dir;
}
