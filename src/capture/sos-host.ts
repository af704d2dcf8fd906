/**
 * @module Host facts from a sosreport folder: hostname, kernel release and
 * the sysctl -a dump. Pure parse functions beside the one reader.
 */
import { readFileSync } from "node:fs";
import type { HostFacts } from "../model/snapshot.js";
import { decodeCaptureText } from "./decode-text.js";
import { resolveInRoot } from "./resolve-in-root.js";

/** Where sos (old and new layouts) and a plain copied tree keep each fact, best first. */
const HOSTNAME_FILES = [
  "hostname",
  "sos_commands/general/hostname",
  "sos_commands/host/hostname",
  "etc/hostname",
];
const UNAME_FILES = ["uname", "sos_commands/kernel/uname_-a", "sos_commands/host/uname_-a"];
const OSRELEASE_FILE = "proc/sys/kernel/osrelease";
const SYSCTL_FILES = ["sos_commands/kernel/sysctl_-a"];

/** Text of the first of rels that exists inside root, or null. */
export function readFirst(root: string, rels: readonly string[]): string | null {
  for (const rel of rels) {
    const path = resolveInRoot(root, rel);
    if (path === null) continue;
    try {
      return decodeCaptureText(readFileSync(path));
    } catch {
      // A folder or an unreadable file where the fact should be: try the next place.
    }
  }
  return null;
}

/** The first word of the first non-blank line ("node1.example.com"). */
export function parseHostname(text: string): string | null {
  const line = text.split("\n").find((l) => l.trim() !== "");
  return line?.trim().split(/\s+/)[0] ?? null;
}

/** `uname -a`: "Linux node1 3.10.0-957.el7.x86_64 #1 SMP ..." -> its third field. */
export function parseUnameRelease(text: string): string | null {
  const fields = text.trim().split(/\s+/);
  return fields.length >= 3 && /^\d+\.\d+/.test(fields[2]!) ? fields[2]! : null;
}

/** `sysctl -a` lines "name = value" (sysctl's own error lines are not settings). */
export function parseSysctlDump(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_][\w.\-/]*)\s*=\s?(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** Hostname, kernel and sysctls as far as the folder tells them. */
export function readSosHostFacts(root: string): HostFacts {
  const hostname = parseHostname(readFirst(root, HOSTNAME_FILES) ?? "");
  const uname = readFirst(root, UNAME_FILES);
  const release = uname !== null ? parseUnameRelease(uname) : null;
  const osrelease = release ?? (readFirst(root, [OSRELEASE_FILE])?.trim() || null);
  const sysctls = parseSysctlDump(readFirst(root, SYSCTL_FILES) ?? "");
  return { hostname: hostname ?? "(capture)", kernel: osrelease, sysctls };
}
