/**
 * @module The operands of src/dst and sport/dport: ADDR[/PREFIX][:PORT] and
 * [:]PORT. Pure; a failure is returned as a problem text (plus hint) for the
 * parser to point at. Host names are never resolved: a filter must not depend
 * on DNS, and the answer could differ from what the sockets were opened with.
 */
import { DEFAULT_SERVICES, type ServiceTable } from "../model/service-names.js";
import { ipv4Prefix, ipv6Prefix, type Prefix, parseIpv4, parseIpv6 } from "./address.js";

/** What a src/dst term matches; null fields match anything. */
export interface HostPattern {
  prefix: Prefix | null;
  port: number | null;
  /** A host name (lower case), matched against the names a capture printed; never resolved. */
  name?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string; hint?: string };

/** Service names accepted instead of a port number: the shipped IANA table (model/services-table.ts). */
export const SERVICES: ServiceTable = DEFAULT_SERVICES;

const fail = (problem: string, hint?: string): Parsed<never> =>
  hint === undefined ? { ok: false, problem } : { ok: false, problem, hint };

/** A port number 0..65535 or a known service name, without the colon. */
export function parsePortNumber(text: string): Parsed<number> {
  if (/^[0-9]+$/.test(text)) {
    const port = Number(text);
    if (port > 65535) return fail(`port ${text} out of range 0-65535`);
    return { ok: true, value: port };
  }
  const service = SERVICES.get(text.toLowerCase());
  if (service !== undefined) return { ok: true, value: service };
  if (text === "") return fail('missing port number after ":"');
  return fail(
    `bad port "${text}"`,
    "give a number 0-65535 or a service name from /etc/services (ssh, https)",
  );
}

/** sport/dport operand: "443", ":443", ":https". */
export function parsePortOperand(text: string): Parsed<number> {
  return parsePortNumber(text.startsWith(":") ? text.slice(1) : text);
}

function parseBits(text: string, max: number, family: string): Parsed<number> {
  if (!/^[0-9]{1,3}$/.test(text) || Number(text) > max) {
    return fail(`bad prefix length "/${text}" for ${family}`, `expected 0-${max}`);
  }
  return { ok: true, value: Number(text) };
}

const words6 = new Uint32Array(4);

/** An address with an optional /bits, IPv4 or IPv6 (no brackets). */
function parseAddress(text: string): Parsed<Prefix> {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? null : text.slice(slash + 1);
  const v4 = parseIpv4(addr);
  if (v4 >= 0) {
    const bits = bitsText === null ? { ok: true as const, value: 32 } : parseBits(bitsText, 32, "IPv4");
    return bits.ok ? { ok: true, value: ipv4Prefix(v4, bits.value) } : bits;
  }
  if (addr.includes(":")) {
    if (!parseIpv6(addr, words6)) return fail(`bad IPv6 address "${addr}"`);
    const bits = bitsText === null ? { ok: true as const, value: 128 } : parseBits(bitsText, 128, "IPv6");
    return bits.ok ? { ok: true, value: ipv6Prefix(words6, bits.value) } : bits;
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(addr) && /[a-z]/i.test(addr)) {
    return fail(`host name "${addr}" is not resolved`, "give an IP address, e.g. 127.0.0.1 or [::1]");
  }
  return fail(`bad address "${addr}"`, "expected IPv4 (10.0.0.0/8), IPv6 ([::1]) or *");
}

/** The part after an address: "" or ":PORT" (":*" = any port). */
function parsePortSuffix(rest: string, word: string): Parsed<number | null> {
  if (rest === "" || rest === ":*") return { ok: true, value: null };
  if (!rest.startsWith(":")) return fail(`bad address "${word}"`);
  return parsePortNumber(rest.slice(1));
}

function withPort(prefix: Prefix | null, rest: string, word: string): Parsed<HostPattern> {
  const port = parsePortSuffix(rest, word);
  return port.ok ? { ok: true, value: { prefix, port: port.value } } : port;
}

/**
 * ADDR[/PREFIX][:PORT] as ss takes it: "10.0.0.0/8", "127.0.0.1:8080", ":80",
 * "*", "*:80", "[::1]", "[2001:db8::]/32:443", "[::1/128]:22", bare "::1" (a
 * bare IPv6 address takes no port: use brackets for that).
 */
export function parseHostPattern(word: string): Parsed<HostPattern> {
  if (word.includes("%")) return fail(`bad address "${word}"`, "interface scopes (%eth0) are not supported");
  if (word.startsWith("[")) {
    const close = word.indexOf("]");
    if (close < 0) return fail(`missing "]" in "${word}"`);
    let inner = word.slice(1, close);
    let rest = word.slice(close + 1);
    const bits = /^\/[^:]*/.exec(rest);
    if (bits !== null) {
      if (inner.includes("/")) return fail(`two prefix lengths in "${word}"`);
      inner += bits[0];
      rest = rest.slice(bits[0].length);
    }
    if (!inner.includes(":")) return fail(`bad address "${word}"`, "brackets are for IPv6 addresses");
    const prefix = parseAddress(inner);
    return prefix.ok ? withPort(prefix.value, rest, word) : prefix;
  }
  const colons = word.split(":").length - 1;
  if (colons >= 2) {
    const prefix = parseAddress(word);
    return prefix.ok ? { ok: true, value: { prefix: prefix.value, port: null } } : prefix;
  }
  const colon = word.indexOf(":");
  const addr = colon < 0 ? word : word.slice(0, colon);
  const rest = colon < 0 ? "" : word.slice(colon);
  if (addr === "" || addr === "*") return withPort(null, rest, word);
  // A host name matches the names a capture printed (ss resolves it; sockdoc never does).
  if (/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(addr) && /[a-z]/i.test(addr) && parseIpv4(addr) < 0) {
    const port = parsePortSuffix(rest, word);
    return port.ok ? { ok: true, value: { prefix: null, port: port.value, name: addr.toLowerCase() } } : port;
  }
  const prefix = parseAddress(addr);
  return prefix.ok ? withPort(prefix.value, rest, word) : prefix;
}
