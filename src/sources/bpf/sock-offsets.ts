/**
 * @module The struct sock offsets the state tracer's program reads, found
 * in the running kernel's BTF (see btf.ts), with the reason when one is
 * missing. Pure: a Btf in, offsets or a reason out.
 */
import type { Btf } from "./btf.js";

/** Byte offsets in the running kernel (the addon's SockOffsets; -1: absent). */
export interface SockOffsets {
  family: number;
  sport: number;
  dport: number;
  rcvSaddr: number;
  daddr: number;
  v6RcvSaddr: number;
  v6Daddr: number;
  net: number;
  netInum: number;
  protocol: number;
  protocolSize: number;
}

const COMMON: Array<[keyof SockOffsets, string, number]> = [
  ["family", "skc_family", 2],
  ["dport", "skc_dport", 2],
  ["rcvSaddr", "skc_rcv_saddr", 4],
  ["daddr", "skc_daddr", 4],
  ["net", "skc_net", 8],
];

/** The offsets, or a one-line reason why this kernel's BTF cannot give them. */
export function sockOffsets(btf: Btf): { offsets: SockOffsets } | { missing: string } {
  const out: Partial<SockOffsets> = {};
  for (const [key, field, size] of COMMON) {
    const place = btf.memberPlace("sock_common", [field]);
    if (!place || place.bitfield || place.size !== size) return { missing: `struct sock_common.${field}` };
    out[key] = place.offset;
  }
  // IPv6 addresses exist only in kernels built with IPv6.
  const v6d = btf.memberPlace("sock_common", ["skc_v6_daddr"]);
  const v6s = btf.memberPlace("sock_common", ["skc_v6_rcv_saddr"]);
  out.v6Daddr = v6d && v6d.size === 16 ? v6d.offset : -1;
  out.v6RcvSaddr = v6s && v6s.size === 16 ? v6s.offset : -1;
  // The tracepoint's own sport: skc_num is already 0 when a socket that held its port reaches CLOSE.
  const sport = btf.memberPlace("inet_sock", ["inet_sport"]);
  if (!sport || sport.bitfield || sport.size !== 2) return { missing: "struct inet_sock.inet_sport" };
  out.sport = sport.offset;
  const inum = btf.memberPlace("net", ["ns", "inum"]);
  if (!inum || inum.bitfield || inum.size !== 4) return { missing: "struct net.ns.inum" };
  out.netInum = inum.offset;
  // sock_common is sock's first member (__sk_common) in every kernel; check rather than assume.
  const common = btf.memberPlace("sock", ["__sk_common"]);
  if (!common || common.offset !== 0) return { missing: "struct sock.__sk_common at offset 0" };
  // A u16 since Linux 5.6; an 8-bit bitfield before it (byte-aligned in those kernels).
  const protocol = btf.memberPlace("sock", ["sk_protocol"]);
  if (!protocol) return { missing: "struct sock.sk_protocol" };
  if (protocol.bitfield) {
    return { missing: "struct sock.sk_protocol as a whole field (a bitfield before Linux 5.6)" };
  }
  if (protocol.size !== 1 && protocol.size !== 2)
    return { missing: "struct sock.sk_protocol of 1 or 2 bytes" };
  out.protocol = protocol.offset;
  out.protocolSize = protocol.size;
  return { offsets: out as SockOffsets };
}
