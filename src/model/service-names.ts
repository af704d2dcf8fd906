/**
 * @module Service names to TCP ports, as netstat and ss print them without
 * -n ("localhost:smtp", "*:ssh", "support.dcd"). The table shipped with
 * sockdoc is generated from Debian's /etc/services (services-table.ts); a
 * sosreport's own etc/services, when present, is read instead, since it is
 * the one the host's tools named the ports with. Pure.
 */
import { SERVICES_TEXT } from "./services-table.js";

/** Lower-case service name (aliases included) to port. */
export type ServiceTable = ReadonlyMap<string, number>;

/** "name=port name=port ..." as a table. */
function tableOfPairs(text: string): Map<string, number> {
  const table = new Map<string, number>();
  for (const pair of text.split(" ")) {
    const eq = pair.indexOf("=");
    if (eq > 0) table.set(pair.slice(0, eq).toLowerCase(), Number(pair.slice(eq + 1)));
  }
  return table;
}

/** The shipped table (IANA names, TCP). */
export const DEFAULT_SERVICES: ServiceTable = tableOfPairs(SERVICES_TEXT);

/**
 * The TCP entries of an /etc/services file ("name port/tcp aliases # comment");
 * other lines are ignored. The first entry of a name wins, as getservbyname's does.
 */
export function parseServicesFile(text: string): ServiceTable {
  const table = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const f = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    const m = /^(\d{1,5})\/tcp$/i.exec(f[1] ?? "");
    if (!m || Number(m[1]) > 65535) continue;
    for (const name of [f[0]!, ...f.slice(2)]) {
      const key = name.toLowerCase();
      if (!table.has(key)) table.set(key, Number(m[1]));
    }
  }
  return table;
}

/** A word that can be a service name as netstat/ss print it: a letter first, no dot or colon. */
export function looksLikeServiceName(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_+-]*$/.test(text);
}
