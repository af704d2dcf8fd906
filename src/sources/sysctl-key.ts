/**
 * @module Sysctl names as config files write them, made canonical: sysctl.d(5)
 * allows "." or "/" as separator. When the first separator is "/", the name
 * is a path and dots inside it belong to a part (an interface "eth0.100");
 * when it is ".", dots and slashes swap. The canonical form is the dotted
 * name unless a part holds a dot, then the slash path. Pure.
 */

/** Parts of a name, or null when it is not a usable sysctl name. */
export function sysctlKeyParts(key: string): string[] | null {
  const text = key.trim();
  if (text === "" || /\s/.test(text)) return null;
  const slash = text.indexOf("/");
  const dot = text.indexOf(".");
  const pathStyle = slash >= 0 && (dot < 0 || slash < dot);
  // Dotted style: "a.b/c" means a, b.c (the slash stands for a dot inside a part).
  const parts = pathStyle ? text.split("/") : text.split(".").map((p) => p.replace(/\//g, "."));
  if (parts.some((p) => p === "" || p === "." || p === "..")) return null;
  return parts;
}

/** "net/ipv4/tcp_tw_reuse" -> "net.ipv4.tcp_tw_reuse"; "net.ipv4.conf.eth0/1.rp_filter" -> "net/ipv4/conf/eth0.1/rp_filter". */
export function canonicalSysctlKey(key: string): string | null {
  const parts = sysctlKeyParts(key);
  if (!parts) return null;
  return parts.some((p) => p.includes(".")) ? parts.join("/") : parts.join(".");
}

/** systemd-sysctl accepts shell globs in names ("net.ipv4.conf.*.rp_filter"). */
export function isGlobKey(key: string): boolean {
  return /[*?[]/.test(key);
}
