/**
 * @module The address a server listens on, as the user writes it (pure).
 */
import { UsageError } from "../model/errors.js";

export interface ListenAddress {
  host: string;
  port: number;
}

/** "9923", ":9923", "127.0.0.1:9923", "[::1]:9923", "0.0.0.0:9923"; host defaults to 127.0.0.1. */
export function parseListen(text: string): ListenAddress {
  const t = text.trim();
  const m = /^\d{1,5}$/.test(t)
    ? [t, undefined, undefined, t]
    : /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new UsageError(`--listen wants [HOST:]PORT (e.g. 127.0.0.1:9923), not "${text}"`);
  }
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

/** host:port for a URL, with brackets around an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
