/**
 * @module Byte layout of the sock_diag netlink messages sockdoc reads and
 * writes (include/uapi/linux/netlink.h, sock_diag.h, inet_diag.h). Fields in
 * host order are read through typed-array views (host order too); ports and
 * addresses are in network order and read byte by byte.
 */
import type { TimerKind } from "../../model/socket.js";
import { InputError } from "../../model/errors.js";

/** In a dump request: both families at once (see native/inet-diag-dump.cc). */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_TCP = 6;

/** struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32. */
export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const SOCK_DIAG_BY_FAMILY = 20;
export const SOCK_DESTROY = 21;

/** struct inet_diag_sockid, relative to its start. */
export const ID = {
  sport: 0,
  dport: 2,
  src: 4,
  dst: 20,
  ifindex: 36,
  cookie: 40,
  size: 48,
} as const;

/** struct inet_diag_msg, relative to the end of the netlink header. */
export const MSG = {
  family: 0,
  state: 1,
  timer: 2,
  retrans: 3,
  id: 4,
  expires: 52,
  rqueue: 56,
  wqueue: 60,
  uid: 64,
  inode: 68,
  size: 72,
} as const;

/** struct inet_diag_req_v2. */
export const REQ = {
  family: 0,
  protocol: 1,
  ext: 2,
  states: 4,
  id: 8,
  size: 56,
} as const;

/** Cookie value meaning "do not check the cookie" (INET_DIAG_NOCOOKIE). */
export const NO_COOKIE_WORD = 0xffffffff;

/** The error for a dump that is cut or malformed, naming the byte offset. */
export function truncatedReply(offset: number, detail: string): InputError {
  return new InputError(`sock_diag reply truncated at byte ${offset}: ${detail}`);
}

/** Round a netlink length up to the 4-byte alignment (NLMSG_ALIGN). */
export function nlmsgAlign(length: number): number {
  return (length + 3) & ~3;
}

/** idiag_timer values (net/ipv4/inet_diag.c); 0 and unknown values mean no timer. */
export const TIMER_KINDS: ReadonlyArray<TimerKind | null> = [null, "on", "keepalive", "timewait", "persist"];

const TWO_POW_32 = 4294967296;

/** 64-bit socket cookie (low word first, host order) as exact decimal text. */
export function cookieString(low: number, high: number): string {
  if (high < 0x200000) return String(high * TWO_POW_32 + low); // below 2^53: a double is exact
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}
