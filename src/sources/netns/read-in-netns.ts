/**
 * @module Reads files as a process inside another network namespace sees
 * them: /proc/sys/net/* (sysctls are per namespace) answers for the
 * namespace of the thread that opens it. Done by the addon on a thread that
 * enters the namespace (setns), else by nsenter(1) from util-linux.
 */
import { spawnSync } from "node:child_process";
import { loadNative } from "../native.js";

/** Each path's content, or null when it is missing or unreadable; throws when the namespace cannot be entered. */
export function readFilesInNetns(netnsPath: string, paths: readonly string[]): Array<string | null> {
  if (paths.length === 0) return [];
  const addon = loadNative().addon;
  if (addon) {
    try {
      return addon.readFilesInNetns(netnsPath, [...paths]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw Object.assign(new Error(`cannot enter ${netnsPath}: ${e.code ?? e.message}`), { code: "ENTER" });
    }
  }
  // One process for all files: "1\0CONTENT\0" or "0\0\0" per path.
  const script =
    'for f do if [ -r "$f" ] && cat "$f" >/dev/null 2>&1; then printf "1\\0"; cat "$f"; else printf "0\\0"; fi; printf "\\0"; done';
  const r = spawnSync("nsenter", [`--net=${netnsPath}`, "sh", "-c", script, "sh", ...paths], {
    encoding: "latin1",
    timeout: 5000,
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? (r.error as NodeJS.ErrnoException).code : r.stderr.trim().split("\n")[0];
    throw Object.assign(new Error(`cannot enter ${netnsPath}: ${why}`), { code: "ENTER" });
  }
  const parts = r.stdout.split("\0");
  return paths.map((_, i) => (parts[2 * i] === "1" ? (parts[2 * i + 1] ?? "") : null));
}
