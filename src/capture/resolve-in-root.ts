/**
 * @module Paths inside a copied host tree (a sosreport), with its symlinks
 * followed as the host would: proc/net -> self/net -> 3255/net. An absolute
 * link target is taken relative to the tree's root, never to this machine's
 * own /, so a copied /proc can never send sockdoc to the live host's files.
 */
import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Links followed before giving up, as the kernel's MAXSYMLINKS. */
const MAX_LINKS = 40;

/** The real path of root/rel with links resolved inside root; null when it does not exist. */
export function resolveInRoot(root: string, rel: string): string | null {
  const todo = rel.split("/").filter((p) => p !== "" && p !== ".");
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === "..") {
      done.pop(); // ".." at the root stays at the root, as in a chroot
      continue;
    }
    const here = join(root, ...done, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(here).isSymbolicLink();
    } catch {
      return null;
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) return null;
    const target = readlinkSync(here);
    if (target.startsWith("/")) done.length = 0;
    todo.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
  }
  return join(root, ...done);
}

/** Names in root/rel (links resolved inside root); [] when it is missing or not a folder. */
export function listInRoot(root: string, rel: string): string[] {
  const dir = resolveInRoot(root, rel);
  if (dir === null) return [];
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
