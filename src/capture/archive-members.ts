/**
 * @module The members of a tar archive as `tar -tv --numeric-owner` lists
 * them, and which of them may be extracted: regular files, directories and
 * links that stay inside the archive. A member named by an absolute path or
 * with a ".." step, a link pointing outside (or anywhere absolute), a device
 * or FIFO is left out; the total size is capped before anything is written.
 * Pure.
 */
import { posix } from "node:path";

export interface ArchiveMember {
  /** "-" file, "d" directory, "l" symlink, "h" hard link; other letters: devices, FIFOs, ... */
  type: string;
  name: string;
  size: number;
  /** Symlink or hard link target. */
  target: string | null;
}

/** "-rw-r--r-- 0/0  1234 2026-12-05 03:00 name" (GNU tar); symlinks add " -> target", hard links " link to target". */
const LINE = /^(\S)\S*\s+\S+\s+(\d+)\s+\d{4}-\d\d-\d\d\s+\d\d:\d\d(?::\d\d)?\s+(.*)$/;

/** The listing's members; null for a line that is not one (the caller refuses the archive). */
export function parseTarListing(text: string): Array<ArchiveMember | null> {
  const out: Array<ArchiveMember | null> = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = LINE.exec(line);
    if (!m) {
      out.push(null);
      continue;
    }
    const type = m[1]!;
    let name = m[3]!;
    let target: string | null = null;
    const sep = type === "l" ? " -> " : type === "h" ? " link to " : null;
    if (sep !== null) {
      const at = name.indexOf(sep);
      if (at < 0) {
        out.push(null);
        continue;
      }
      target = name.slice(at + sep.length);
      name = name.slice(0, at);
    }
    out.push({ type, name, size: Number(m[2]), target });
  }
  return out;
}

/** Whether a path inside the archive stays inside: relative, no ".." step. */
function staysInside(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.split("/").includes("..");
}

/** Why a member is left out, or null when it may be extracted. */
export function memberProblem(m: ArchiveMember): string | null {
  if (!staysInside(m.name)) return `${JSON.stringify(m.name)}: a path outside the archive`;
  if (m.type === "-" || m.type === "d") return null;
  if (m.type === "h") {
    return staysInside(m.target ?? "") ? null : `${JSON.stringify(m.name)}: a hard link outside the archive`;
  }
  if (m.type === "l") {
    const target = m.target ?? "";
    // Relative targets may climb, but not above the archive's root.
    const resolved = posix.normalize(posix.join(posix.dirname(m.name), target));
    const inside =
      target !== "" && !target.startsWith("/") && resolved !== ".." && !resolved.startsWith("../");
    return inside
      ? null
      : `${JSON.stringify(m.name)}: a link to ${JSON.stringify(target)}, outside the archive`;
  }
  return `${JSON.stringify(m.name)}: not a file, directory or link`;
}
