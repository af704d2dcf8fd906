/**
 * @module Pure decoder of a sock_diag dump (the bytes inetDiagDump returns):
 * netlink messages of struct inet_diag_msg -> TcpSocket. This is the hot path
 * for hundreds of thousands of sockets, so it reads through typed-array views
 * and formats each distinct address once (address-cache.ts).
 */
import type { Family } from "../../model/endpoint.js";
import { InputError } from "../../model/errors.js";
import type { TcpSocket, Timer } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { AddressCache } from "./address-cache.js";
import { aligned, forEachInetDiagMessage } from "./framing.js";
import { AF_INET, AF_INET6, cookieString, ID, MSG, TIMER_KINDS } from "./layout.js";

/**
 * Decodes every SOCK_DIAG_BY_FAMILY message up to NLMSG_DONE or the end.
 * Throws InputError when the stream is cut or malformed, or carries an
 * NLMSG_ERROR, naming the byte offset.
 */
export function decodeInetDiagMessages(buf: Uint8Array): TcpSocket[] {
  const bytes = aligned(buf);
  const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const addresses = new AddressCache(bytes, new Int32Array(u32.buffer, u32.byteOffset, u32.length));
  const sockets: TcpSocket[] = [];
  forEachInetDiagMessage(bytes, (p) => {
    sockets.push(decodeOne(bytes, u32, p, addresses));
  });
  return sockets;
}

function decodeOne(bytes: Uint8Array, u32: Uint32Array, p: number, addresses: AddressCache): TcpSocket {
  const familyCode = bytes[p + MSG.family]!;
  let family: Family;
  if (familyCode === AF_INET) family = 4;
  else if (familyCode === AF_INET6) family = 6;
  else throw new InputError(`sock_diag reply: unknown address family ${familyCode} at byte ${p}`);
  const rawState = bytes[p + MSG.state]!;
  // Request sockets are reported as SYN_RECV, as ss does.
  const state = rawState === TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : (rawState as TcpState);
  const id = p + MSG.id;
  const w = p >>> 2; // p is 4-aligned: the header and the message are
  const timerKind = TIMER_KINDS[bytes[p + MSG.timer]!] ?? null;
  const timer: Timer | null =
    timerKind === null
      ? null
      : { kind: timerKind, expiresMs: u32[w + MSG.expires / 4]!, retrans: bytes[p + MSG.retrans]! };
  // Mini sockets (TIME_WAIT, request socks) have no owner: the kernel writes 0 as uid.
  const mini = rawState === TcpState.TIME_WAIT || rawState === TcpState.NEW_SYN_RECV;
  return {
    family,
    state,
    local: {
      address: family === 4 ? addresses.v4At(id + ID.src) : addresses.v6At(id + ID.src),
      port: (bytes[id]! << 8) | bytes[id + 1]!,
    },
    remote: {
      address: family === 4 ? addresses.v4At(id + ID.dst) : addresses.v6At(id + ID.dst),
      port: (bytes[id + ID.dport]! << 8) | bytes[id + ID.dport + 1]!,
    },
    recvQ: u32[w + MSG.rqueue / 4]!,
    sendQ: u32[w + MSG.wqueue / 4]!,
    timer,
    uid: mini ? null : u32[w + MSG.uid / 4]!,
    inode: u32[w + MSG.inode / 4]!,
    cookie: cookieString(u32[(id + ID.cookie) >>> 2]!, u32[(id + ID.cookie + 4) >>> 2]!),
    ifindex: u32[(id + ID.ifindex) >>> 2]!,
    owners: null,
  };
}
