/**
 * @module Kernel counters: /proc/net/netstat and /proc/net/snmp (pairs of a
 * name line and a value line per group) and /proc/net/sockstat (TCP inuse,
 * orphan, tw, alloc, mem). They say what the socket table alone cannot, e.g.
 * TcpExt.TCPTimeWaitOverflow: sockets that skipped TIME_WAIT because
 * tcp_max_tw_buckets was full.
 */
import type { ProcFs } from "./procfs.js";

/** "Group.Name" -> value, e.g. "TcpExt.TCPTimeWaitOverflow", "Tcp.CurrEstab". */
export type Counters = Record<string, number>;

/**
 * Parse netstat/snmp text: each "Group: names..." line is followed by
 * "Group: values...". Lines that do not pair up are reported into warnings
 * (when given) and skipped; extra names or values beyond the shorter line are dropped.
 */
export function parseCounterPairs(text: string, origin = "counters", warnings?: string[]): Counters {
  const counters: Counters = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i] as string;
    if (head.trim() === "") continue;
    const group = head.slice(0, head.indexOf(":"));
    const next = lines[i + 1] ?? "";
    if (group === "" || !next.startsWith(`${group}:`)) {
      warnings?.push(
        `${origin}:${i + 1}: no value line follows the "${group || head.trim()}" names; skipped`,
      );
      continue;
    }
    const names = head
      .slice(group.length + 1)
      .trim()
      .split(/\s+/);
    const values = next
      .slice(group.length + 1)
      .trim()
      .split(/\s+/);
    if (names.length !== values.length) {
      warnings?.push(`${origin}:${i + 2}: ${group} has ${names.length} names but ${values.length} values`);
    }
    for (let k = 0; k < Math.min(names.length, values.length); k++) {
      const v = Number(values[k]);
      if (Number.isFinite(v)) counters[`${group}.${names[k]}`] = v;
      else warnings?.push(`${origin}:${i + 2}: ${group}.${names[k]} is not a number: "${values[k]}"`);
    }
    i++;
  }
  return counters;
}

export interface SockstatTcp {
  /** Sockets in use, TIME_WAIT excluded (IPv4 only; IPv6 is in sockstat6). */
  inuse: number | null;
  /** Sockets no process holds any more (FIN_WAIT, LAST_ACK, CLOSING...). */
  orphan: number | null;
  /** TIME_WAIT sockets, both families. */
  tw: number | null;
  /** Allocated sockets, both families. */
  alloc: number | null;
  /** Memory used by TCP buffers, in pages. */
  mem: number | null;
}

export interface Sockstat {
  /** "sockets: used N": all sockets of all kinds. */
  socketsUsed: number | null;
  tcp: SockstatTcp | null;
}

/** Parse /proc/net/sockstat ("TCP: inuse 5 orphan 0 tw 2 alloc 7 mem 1"). */
export function parseSockstat(text: string): Sockstat {
  const result: Sockstat = { socketsUsed: null, tcp: null };
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const kind = line.slice(0, colon).trim();
    const words = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const field = (key: string): number | null => {
      const at = words.indexOf(key);
      const v = at >= 0 ? Number(words[at + 1]) : Number.NaN;
      return Number.isFinite(v) ? v : null;
    };
    if (kind === "sockets") result.socketsUsed = field("used");
    else if (kind === "TCP") {
      result.tcp = {
        inuse: field("inuse"),
        orphan: field("orphan"),
        tw: field("tw"),
        alloc: field("alloc"),
        mem: field("mem"),
      };
    }
  }
  return result;
}

export interface CountersRead {
  counters: Counters;
  warnings: string[];
}

/** net/netstat and net/snmp under the root, merged; an unreadable file becomes a warning. */
export function readCounters(proc: ProcFs): CountersRead {
  const warnings: string[] = [];
  const counters: Counters = {};
  for (const name of ["netstat", "snmp"]) {
    const path = proc.path("net", name);
    const text = proc.tryRead("net", name);
    if (text === null) warnings.push(`cannot read ${path}; its counters are unknown`);
    else Object.assign(counters, parseCounterPairs(text, path, warnings));
  }
  return { counters, warnings };
}

/** net/sockstat under the root, or null when it cannot be read. */
export function readSockstat(proc: ProcFs): Sockstat | null {
  const text = proc.tryRead("net", "sockstat");
  return text === null ? null : parseSockstat(text);
}
