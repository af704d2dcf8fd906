/**
 * @module The kernel settings sockdoc knows: what their values look like and
 * which bounds the kernel enforces (checked by writing into a network
 * namespace of Linux 6.x: a value out of bounds is refused with EINVAL), when
 * they appeared or went away, and whether each network namespace has its own.
 * The settings here are the ones `sockdoc tune apply` writes without --force.
 */

export type ValueKind = "int" | "port-range" | "port-list";

export interface KnownSetting {
  name: string;
  kind: ValueKind;
  /** Bounds the kernel enforces for "int" (a wider int32 check applies to every int). */
  min?: number;
  max?: number;
  /** Kernel default, for the help text. */
  defaultValue?: string;
  /** First kernel that has it. */
  since?: string;
  /** Kernel that removed it. */
  removedIn?: string;
  /** Each network namespace has its own value (else one value for the whole host). */
  perNetns: boolean;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
export { INT32_MAX, INT32_MIN };

export const KNOWN_SETTINGS: readonly KnownSetting[] = [
  { name: "net.ipv4.tcp_tw_reuse", kind: "int", min: 0, max: 2, defaultValue: "2", perNetns: true },
  {
    name: "net.ipv4.tcp_tw_reuse_delay",
    kind: "int",
    min: 1,
    max: 60000,
    defaultValue: "1000",
    since: "6.14",
    perNetns: true,
  },
  { name: "net.ipv4.tcp_tw_recycle", kind: "int", min: 0, max: 1, removedIn: "4.12", perNetns: true },
  { name: "net.ipv4.tcp_timestamps", kind: "int", min: 0, max: 255, defaultValue: "1", perNetns: true },
  { name: "net.ipv4.tcp_fin_timeout", kind: "int", defaultValue: "60", perNetns: true },
  { name: "net.ipv4.tcp_max_tw_buckets", kind: "int", perNetns: true },
  { name: "net.ipv4.tcp_max_orphans", kind: "int", perNetns: false },
  {
    name: "net.ipv4.ip_local_port_range",
    kind: "port-range",
    defaultValue: "32768 60999",
    perNetns: true,
  },
  { name: "net.ipv4.ip_local_reserved_ports", kind: "port-list", defaultValue: "", perNetns: true },
  { name: "net.ipv4.tcp_keepalive_time", kind: "int", defaultValue: "7200", perNetns: true },
  { name: "net.ipv4.tcp_keepalive_intvl", kind: "int", defaultValue: "75", perNetns: true },
  { name: "net.ipv4.tcp_keepalive_probes", kind: "int", min: 0, max: 255, defaultValue: "9", perNetns: true },
  { name: "net.ipv4.tcp_max_syn_backlog", kind: "int", perNetns: true },
  { name: "net.core.somaxconn", kind: "int", min: 0, defaultValue: "4096", perNetns: true },
  { name: "fs.file-max", kind: "int", min: 0, perNetns: false },
  { name: "fs.nr_open", kind: "int", min: 0, perNetns: false },
];

const BY_NAME = new Map(KNOWN_SETTINGS.map((s) => [s.name, s]));

export function knownSetting(name: string): KnownSetting | undefined {
  return BY_NAME.get(name);
}

/** The name `sockdoc tune apply` refuses whatever --force says. */
export const TW_RECYCLE = "net.ipv4.tcp_tw_recycle";

/** Settings apply writes without --force: the known ones that still exist. */
export const APPLY_ALLOWLIST: readonly string[] = KNOWN_SETTINGS.filter((s) => !s.removedIn).map(
  (s) => s.name,
);

/** Default start of the unprivileged ports (net.ipv4.ip_unprivileged_port_start). */
export const DEFAULT_UNPRIVILEGED_PORT_START = 1024;
