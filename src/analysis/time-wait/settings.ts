/**
 * @module The kernel settings the TIME_WAIT report rests on, from sysctl
 * text (dotted names, as sources/sysctl.ts reads them). Missing or garbled
 * values fall back to the kernel's defaults and say so in warnings, so a
 * capture or an old kernel still gets a report.
 */
import {
  DEFAULT_PORT_RANGE,
  type PortRange,
  parsePortRange,
  parseReservedPorts,
  reservedInRange,
} from "./ports.js";

/** The sysctls this report reads. */
export const TIME_WAIT_SYSCTLS: readonly string[] = [
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_tw_reuse",
  "net.ipv4.tcp_tw_reuse_delay",
  "net.ipv4.tcp_timestamps",
  "net.ipv4.tcp_max_tw_buckets",
];

/** Default tcp_tw_reuse_delay (ms); kernels before 6.14 behave like about 1 s too. */
export const DEFAULT_REUSE_DELAY_MS = 1000;

export interface TimeWaitSettings {
  portRange: PortRange;
  /** Merged reserved ranges (all of them, in or out of portRange). */
  reserved: Array<[number, number]>;
  /** Reserved ports inside portRange. */
  reservedPorts: number;
  /** 0 off, 1 on, 2 loopback only; null when unknown. */
  twReuse: number | null;
  twReuseDelayMs: number;
  /** net.ipv4.tcp_timestamps (0 off, 1 on, 2 on without offsets); null when unknown. */
  timestamps: number | null;
  maxTwBuckets: number | null;
}

function int(text: string | undefined): number | null {
  if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) return null;
  return Number(text);
}

/**
 * Settings from sysctl values; warnings name what was missing or unreadable.
 * from: where the values were read; a capture that lacks one says so rather
 * than calling it unreadable (only a sosreport carries sysctls at all).
 */
export function settingsFromSysctls(
  values: Readonly<Record<string, string>>,
  from: "host" | "capture" = "host",
): {
  settings: TimeWaitSettings;
  warnings: string[];
} {
  const warnings: string[] = [];
  const rangeText = values["net.ipv4.ip_local_port_range"];
  let portRange: PortRange = DEFAULT_PORT_RANGE;
  const parsedRange = rangeText === undefined ? null : parsePortRange(rangeText);
  if (parsedRange) portRange = parsedRange;
  else {
    const assumed = `assuming the default ${portRange[0]}-${portRange[1]}`;
    warnings.push(
      rangeText !== undefined
        ? `net.ipv4.ip_local_port_range not understood ("${rangeText}"); ${assumed}`
        : from === "capture"
          ? `the capture lacks net.ipv4.ip_local_port_range (only a sosreport carries sysctls); ${assumed}`
          : `net.ipv4.ip_local_port_range not readable; ${assumed}`,
    );
  }
  const reservedText = values["net.ipv4.ip_local_reserved_ports"];
  let reserved = reservedText === undefined ? [] : parseReservedPorts(reservedText);
  if (reserved === null) {
    warnings.push(`net.ipv4.ip_local_reserved_ports not understood ("${reservedText}"); assuming none`);
    reserved = [];
  }
  return {
    settings: {
      portRange,
      reserved,
      reservedPorts: reservedInRange(reserved, portRange),
      twReuse: int(values["net.ipv4.tcp_tw_reuse"]),
      twReuseDelayMs: int(values["net.ipv4.tcp_tw_reuse_delay"]) ?? DEFAULT_REUSE_DELAY_MS,
      timestamps: int(values["net.ipv4.tcp_timestamps"]),
      maxTwBuckets: int(values["net.ipv4.tcp_max_tw_buckets"]),
    },
    warnings,
  };
}
