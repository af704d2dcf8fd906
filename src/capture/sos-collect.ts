/**
 * @module The host reports inside a `sos collect` archive (or its unpacked
 * folder): sos-collector packs one sosreport per host, as an archive
 * (sosreport-HOST-DATE.tar.xz) or a folder, beside its own logs
 * (sos_logs/, sos_reports/manifest.json). Found from the content: a file
 * whose first bytes are an archive, or a folder with sos_commands/ inside,
 * at the top of the folder or one level down. Links are not followed.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface HostReport {
  /** Path inside the collect folder, for messages: "sosreport-web1-2026.tar.xz". */
  rel: string;
  path: string;
  kind: "archive" | "folder";
}

/** At most this many host reports are read from one collect archive. */
export const MAX_HOSTS = 256;

function kindOf(path: string, isArchive: (path: string) => boolean): HostReport["kind"] | null {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (st.isFile()) return isArchive(path) ? "archive" : null;
  if (!st.isDirectory()) return null;
  try {
    return lstatSync(join(path, "sos_commands")).isDirectory() ? "folder" : null;
  } catch {
    return null;
  }
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith("."))
      .sort();
  } catch {
    return [];
  }
}

/** The host reports under dir, in name order; isArchive tells an archive from its first bytes. */
export function findHostReports(dir: string, isArchive: (path: string) => boolean): HostReport[] {
  const found: HostReport[] = [];
  for (const name of names(dir)) {
    const path = join(dir, name);
    const kind = kindOf(path, isArchive);
    if (kind !== null) {
      found.push({ rel: name, path, kind });
      continue;
    }
    if (!lstatSync(path).isDirectory()) continue;
    for (const inner of names(path)) {
      const innerPath = join(path, inner);
      const innerKind = kindOf(innerPath, isArchive);
      if (innerKind !== null) found.push({ rel: `${name}/${inner}`, path: innerPath, kind: innerKind });
    }
  }
  return found;
}
