/**
 * @module The bench's network namespace: create it with loopback up, set its
 * own sysctls (per-namespace ones only, checking the host's stay as they
 * were), and find namespaces left by a bench that was killed.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { namespacePids, removeNamespace } from "./cleanup.js";

export const NAMESPACE_PREFIX = "sockdoc-bench-";

function ip(...args: string[]): string {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.error) throw new Error(`ip ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${result.stderr.trim()}`);
  return result.stdout;
}

export function createNamespace(name: string): void {
  ip("netns", "add", name);
  ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
}

const sysctlPath = (key: string): string => `/proc/sys/${key.replaceAll(".", "/")}`;
const normal = (value: string): string => value.trim().split(/\s+/).join(" ");

/** Read a sysctl inside the namespace. */
export function namespaceSysctl(name: string, key: string): string {
  return normal(ip("netns", "exec", name, "cat", sysctlPath(key)));
}

/**
 * Set sysctls inside the namespace. Each key must be per-namespace: the host's
 * value is read before and after, and a change is undone and reported.
 */
export function setNamespaceSysctls(name: string, values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    const path = sysctlPath(key);
    const hostBefore = readFileSync(path, "utf8");
    ip("netns", "exec", name, "sh", "-c", 'printf "%s\\n" "$1" > "$0"', path, value);
    const hostAfter = readFileSync(path, "utf8");
    if (hostAfter !== hostBefore) {
      spawnSync("sh", ["-c", 'printf "%s" "$1" > "$0"', path, hostBefore]);
      throw new Error(`${key} is not per-namespace here: host value restored, bench stopped`);
    }
    const inside = namespaceSysctl(name, key);
    if (inside !== normal(value)) throw new Error(`${key}: set ${value} in ${name}, reads ${inside}`);
  }
}

/** The hard RLIMIT_NOFILE a worker started in the namespace gets. */
export function hardFdLimit(name: string): number {
  const out = ip("netns", "exec", name, "sh", "-c", "ulimit -Hn");
  const n = out.trim() === "unlimited" ? 1_048_576 : Number(out.trim());
  if (!Number.isFinite(n)) throw new Error(`cannot read the fd hard limit: ${out.trim()}`);
  return n;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Namespaces of earlier benches whose process is gone: those with no process
 * left (a bench that was killed) are removed; those still holding workers
 * were left on purpose with --keep and are only listed.
 */
export function staleNamespaces(): { removed: string[]; kept: string[] } {
  const names = ip("netns", "list")
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(NAMESPACE_PREFIX));
  const stale = names.filter((n) => {
    const pid = Number(n.slice(NAMESPACE_PREFIX.length));
    return Number.isInteger(pid) && pid !== process.pid && !alive(pid);
  });
  const removed: string[] = [];
  const kept: string[] = [];
  for (const name of stale) {
    if (namespacePids(name).length > 0) kept.push(name);
    else {
      removeNamespace(name);
      removed.push(name);
    }
  }
  return { removed, kept };
}
