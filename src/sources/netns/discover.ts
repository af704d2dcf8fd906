/**
 * @module Finds the network namespaces of a host: every process's
 * /proc/PID/ns/net, the `ip netns` names in /run/netns (CNI's cni-* among
 * them) and the container runtimes' bind mounts (docker's netns directory),
 * one entry per namespace inode. Also resolves what `--netns` names.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../model/errors.js";
import type { ProcFs } from "../procfs.js";

export interface FoundNamespace {
  inode: number;
  /** A path that enters it (setns): a bind mount when it has one, else /proc/PID/ns/net. */
  path: string;
  /** Its `ip netns` name, or null. */
  name: string | null;
  /** Processes in it, lowest pid first (none for a namespace kept only by a bind mount). */
  pids: number[];
}

export interface Discovery {
  namespaces: FoundNamespace[];
  /** Processes whose namespace could not be read (other users' without root). */
  deniedPids: number;
}

/** Directories of bind-mounted namespace files, under the host root: [dir, whether its names are ip netns names]. */
const BIND_DIRS: Array<[string, boolean]> = [
  ["run/netns", true],
  ["run/docker/netns", false],
  ["var/run/docker/netns", false],
];

/** "net:[4026531840]" -> 4026531840; null for anything else. */
export function parseNsLink(link: string): number | null {
  const m = /^net:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

function statOf(path: string): { ino: number; dev: number } | null {
  try {
    const st = statSync(path);
    return { ino: st.ino, dev: st.dev };
  } catch {
    return null;
  }
}

export function discoverNamespaces(proc: ProcFs, hostRoot = "/"): Discovery {
  const byInode = new Map<number, FoundNamespace>();
  const entry = (inode: number, path: string): FoundNamespace => {
    let ns = byInode.get(inode);
    if (!ns) byInode.set(inode, (ns = { inode, path, name: null, pids: [] }));
    return ns;
  };
  let deniedPids = 0;
  for (const pid of proc.pids().sort((a, b) => a - b)) {
    let link: string;
    try {
      link = proc.readlink(pid, "ns", "net");
    } catch (err) {
      // Gone since the listing (ENOENT) is no news; anything else is a process we may not look into.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") deniedPids++;
      continue;
    }
    const inode = parseNsLink(link);
    if (inode !== null) entry(inode, proc.path(pid, "ns", "net")).pids.push(pid);
  }
  // Namespace files live on nsfs: a bind mount shows nsfs's device, a file no longer mounted over does not.
  const nsfs = statOf(proc.path("self", "ns", "net"))?.dev ?? null;
  const seenDirs = new Set<number>();
  for (const [dir, named] of BIND_DIRS) {
    const full = join(hostRoot, dir);
    // /var/run is usually a link to /run: read each directory once.
    const dirInode = statOf(full)?.ino ?? null;
    if (dirInode === null || seenDirs.has(dirInode)) continue;
    seenDirs.add(dirInode);
    let names: string[];
    try {
      names = readdirSync(full).sort();
    } catch {
      continue;
    }
    for (const file of names) {
      const path = join(full, file);
      const st = statOf(path);
      if (st === null || (nsfs !== null && st.dev !== nsfs)) continue;
      const ns = entry(st.ino, path);
      ns.path = path;
      if (named && ns.name === null) ns.name = file;
    }
  }
  return { namespaces: [...byInode.values()], deniedPids };
}

/**
 * What --netns names: a pid (its namespace), a path (/proc/PID/ns/net or a
 * bind mount), or an `ip netns` name (/run/netns/NAME).
 */
export function resolveNetns(spec: string, proc: ProcFs, hostRoot = "/"): FoundNamespace {
  let path: string;
  let name: string | null = null;
  if (/^\d+$/.test(spec)) path = proc.path(spec, "ns", "net");
  else if (spec.includes("/")) path = spec;
  else {
    path = join(hostRoot, "run", "netns", spec);
    name = spec;
  }
  let inode: number;
  try {
    inode = statSync(path).ino;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    const what = /^\d+$/.test(spec) ? `process ${spec}` : name ? `ip netns "${name}"` : path;
    throw new UsageError(`--netns ${spec}: cannot find ${what} (${code})`);
  }
  const pids: number[] = [];
  const m = /^\/proc\/(\d+)\/ns\/net$/.exec(path);
  if (m) pids.push(Number(m[1]));
  return { inode, path, name, pids };
}
