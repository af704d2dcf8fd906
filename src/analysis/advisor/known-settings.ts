/**
 * @module The kernel settings sockdoc knows: what their values look like and
 * which bounds the kernel enforces (checked by writing into a network
 * namespace of Linux 6.x: a value out of bounds is refused with EINVAL), when
 * they appeared or went away, and whether each network namespace has its own.
 * The settings here are the ones `sockdoc tune apply` writes without --force.
 */

/** "int": a C int (proc_dointvec); "ulong": an unsigned long, beyond a double's exact range (BigInt). */
export type ValueKind = "int" | "ulong" | "port-range" | "port-list";

export interface KnownSetting {
  name: string;
  kind: ValueKind;
  /** Bounds the kernel enforces for "int" (a wider int32 check applies to every int). */
  min?: number;
  max?: number;
  /**
   * Kept in jiffies (seconds * HZ in an int): the kernel refuses more than
   * INT_MAX / HZ, so the bound depends on the kernel's HZ (max is the one at
   * HZ=1000, the highest, which every kernel takes).
   */
  jiffies?: boolean;
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
/** LONG_MAX: fs.file-max's upper bound (proc_doulongvec_minmax with 0..LONG_MAX). */
const LONG_MAX = 9223372036854775807n;
/** INT_MAX / 1000: the largest jiffies value in seconds that a kernel of any HZ (at most 1000) takes. */
const JIFFIES_MAX = 2147483;
export { INT32_MAX, INT32_MIN, JIFFIES_MAX, LONG_MAX };

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
  {
    name: "net.ipv4.tcp_fin_timeout",
    kind: "int",
    min: -JIFFIES_MAX,
    max: JIFFIES_MAX,
    jiffies: true,
    defaultValue: "60",
    perNetns: true,
  },
  { name: "net.ipv4.tcp_max_tw_buckets", kind: "int", perNetns: true },
  { name: "net.ipv4.tcp_max_orphans", kind: "int", perNetns: false },
  {
    name: "net.ipv4.ip_local_port_range",
    kind: "port-range",
    defaultValue: "32768 60999",
    perNetns: true,
  },
  { name: "net.ipv4.ip_local_reserved_ports", kind: "port-list", defaultValue: "", perNetns: true },
  {
    name: "net.ipv4.tcp_keepalive_time",
    kind: "int",
    min: -JIFFIES_MAX,
    max: JIFFIES_MAX,
    jiffies: true,
    defaultValue: "7200",
    perNetns: true,
  },
  {
    name: "net.ipv4.tcp_keepalive_intvl",
    kind: "int",
    min: -JIFFIES_MAX,
    max: JIFFIES_MAX,
    jiffies: true,
    defaultValue: "75",
    perNetns: true,
  },
  { name: "net.ipv4.tcp_keepalive_probes", kind: "int", min: 0, max: 255, defaultValue: "9", perNetns: true },
  { name: "net.ipv4.tcp_max_syn_backlog", kind: "int", perNetns: true },
  { name: "net.core.somaxconn", kind: "int", min: 0, defaultValue: "4096", perNetns: true },
  // An unsigned long from 0 to LONG_MAX: 9223372036854775807 is a real running value.
  { name: "fs.file-max", kind: "ulong", perNetns: false },
  // From BITS_PER_LONG to INT_MAX rounded down to a multiple of it (fs/file.c, 64-bit).
  { name: "fs.nr_open", kind: "int", min: 64, max: 2147483584, perNetns: false },
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
