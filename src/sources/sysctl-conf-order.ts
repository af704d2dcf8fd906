/**
 * @module The order sysctl config files are loaded in, as `sysctl --system`
 * (procps) and systemd-sysctl do: *.conf files from the sysctl.d directories
 * below; a file name found in several directories is read only from the first
 * (so /etc/sysctl.d/x.conf replaces /usr/lib/sysctl.d/x.conf); the chosen
 * files are read in lexical order of their names whatever their directory;
 * /etc/sysctl.conf last (procps reads it; systemd-sysctl does not, which is
 * why distributions link /etc/sysctl.d/99-sysctl.conf to it). Names starting
 * with "." are skipped, as both do (editors' and package managers' leftovers).
 * Within the whole sequence the later assignment of a key wins. Pure.
 */

/** Directories in priority order, relative to the root. */
export const SYSCTL_D_DIRS: readonly string[] = [
  "etc/sysctl.d",
  "run/sysctl.d",
  "usr/local/lib/sysctl.d",
  "usr/lib/sysctl.d",
  "lib/sysctl.d",
];

export const SYSCTL_CONF = "etc/sysctl.conf";

export interface OrderedFile {
  /** Path relative to the root, e.g. "usr/lib/sysctl.d/50-default.conf". */
  path: string;
  /** Same-named files in lower-priority directories, not read. */
  shadows: string[];
}

/** A name sysctl --system and systemd-sysctl load: *.conf, not hidden. */
export function isConfName(name: string): boolean {
  return name.endsWith(".conf") && !name.startsWith(".");
}

/**
 * listing: the *.conf names found in each directory of SYSCTL_D_DIRS (absent
 * directories have none); hasSysctlConf: whether etc/sysctl.conf exists.
 */
export function orderConfigFiles(
  listing: ReadonlyMap<string, readonly string[]>,
  hasSysctlConf: boolean,
): OrderedFile[] {
  const chosen = new Map<string, OrderedFile>();
  for (const dir of SYSCTL_D_DIRS) {
    for (const name of listing.get(dir) ?? []) {
      if (!isConfName(name)) continue;
      const path = `${dir}/${name}`;
      const first = chosen.get(name);
      if (first) first.shadows.push(path);
      else chosen.set(name, { path, shadows: [] });
    }
  }
  // Plain code-unit order, like strcmp in procps and systemd.
  const names = [...chosen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files = names.map((n) => chosen.get(n)!);
  if (hasSysctlConf) files.push({ path: SYSCTL_CONF, shadows: [] });
  return files;
}
