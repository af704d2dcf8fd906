/**
 * @module sysctl: read kernel settings from <root>/sys by their dotted names
 * (net.ipv4.tcp_tw_reuse -> sys/net/ipv4/tcp_tw_reuse). A missing setting is
 * information (tcp_tw_recycle is gone since 4.12, tcp_tw_reuse_delay arrived
 * in 6.14), so missing names are returned, not hidden.
 */
import { UsageError } from "../model/errors.js";
import type { ProcFs } from "./procfs.js";

/** The settings sockdoc's analyses and advice look at. */
export const SOCKDOC_SYSCTLS: readonly string[] = [
  "net.ipv4.tcp_tw_reuse",
  "net.ipv4.tcp_tw_reuse_delay",
  "net.ipv4.tcp_tw_recycle",
  "net.ipv4.tcp_timestamps",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_max_tw_buckets",
  "net.ipv4.tcp_max_orphans",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_max_syn_backlog",
  "net.core.somaxconn",
  "fs.file-max",
  "fs.nr_open",
];

export interface SysctlRead {
  /** Name -> value as the kernel prints it, trimmed (multi-value settings keep their tabs). */
  values: Record<string, string>;
  /** Names this kernel does not have. */
  missing: string[];
  /** Names that exist but could not be read (permission), with the error code. */
  unreadable: Array<{ name: string; code: string }>;
}

/**
 * Path parts under the root for a sysctl name. Like sysctl(8), a name with a
 * "/" is split on "/" (so interface names with dots survive), else on ".".
 */
export function sysctlPath(name: string): string[] {
  const parts = name.includes("/") ? name.split("/") : name.split(".");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new UsageError(`not a sysctl name: "${name}"`);
  }
  return ["sys", ...parts];
}

/** Read each name; missing and unreadable ones are listed, never thrown. */
export function readSysctlSet(proc: ProcFs, names: Iterable<string>): SysctlRead {
  const result: SysctlRead = { values: {}, missing: [], unreadable: [] };
  for (const name of names) {
    try {
      result.values[name] = proc.read(...sysctlPath(name)).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "EIO";
      if (code === "ENOENT" || code === "ENOTDIR") result.missing.push(name);
      else result.unreadable.push({ name, code });
    }
  }
  return result;
}

/** Values of the names that exist (see readSysctlSet for what was missing). */
export function readSysctls(proc: ProcFs, names: Iterable<string>): Record<string, string> {
  return readSysctlSet(proc, names).values;
}
