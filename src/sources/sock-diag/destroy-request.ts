/**
 * @module Pure builder of the struct inet_diag_req_v2 that SOCK_DESTROY
 * takes: the socket's exact identity (ports, addresses, interface, cookie),
 * so the kernel destroys that socket and no other. With a cookie, a socket
 * that was closed and replaced by a new one on the same 4-tuple is not found
 * (the kernel answers ENOENT) instead of killed.
 */
import { formatEndpoint } from "../../model/endpoint.js";
import { InputError } from "../../model/errors.js";
import type { TcpSocket } from "../../model/socket.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import { ipv4ToBytes, ipv6ToBytes } from "./address-bytes.js";
import { AF_INET, AF_INET6, ID, IPPROTO_TCP, NO_COOKIE_WORD, REQ } from "./layout.js";

const MAX_COOKIE = (1n << 64n) - 1n;

export function buildDestroyRequest(socket: TcpSocket): Buffer {
  const describe = () => `${formatEndpoint(socket.local)} -> ${formatEndpoint(socket.remote)}`;
  const src = addressBytes(socket.family, socket.local.address, describe);
  const dst = addressBytes(socket.family, socket.remote.address, describe);
  checkPort(socket.local.port, describe);
  checkPort(socket.remote.port, describe);

  // Host-order fields go through a Uint32Array view of a private, aligned buffer.
  const ab = new ArrayBuffer(REQ.size);
  const bytes = new Uint8Array(ab);
  const u32 = new Uint32Array(ab);
  bytes[REQ.family] = socket.family === 4 ? AF_INET : AF_INET6;
  bytes[REQ.protocol] = IPPROTO_TCP;
  u32[REQ.states / 4] = statesFor(socket.state);
  const id = REQ.id;
  bytes[id + ID.sport] = socket.local.port >> 8;
  bytes[id + ID.sport + 1] = socket.local.port & 0xff;
  bytes[id + ID.dport] = socket.remote.port >> 8;
  bytes[id + ID.dport + 1] = socket.remote.port & 0xff;
  bytes.set(src, id + ID.src);
  bytes.set(dst, id + ID.dst);
  u32[(id + ID.ifindex) / 4] = socket.ifindex ?? 0;
  const [low, high] = cookieWords(socket.cookie, describe);
  u32[(id + ID.cookie) / 4] = low;
  u32[(id + ID.cookie) / 4 + 1] = high;
  return Buffer.from(ab);
}

/** The kernel does not filter a destroy by state; the bit documents intent. */
function statesFor(state: TcpState): number {
  if (state === TcpState.SYN_RECV || state === TcpState.NEW_SYN_RECV) {
    return stateBit(TcpState.SYN_RECV) | stateBit(TcpState.NEW_SYN_RECV);
  }
  return stateBit(state) >>> 0;
}

function addressBytes(family: 4 | 6, address: string, describe: () => string): Uint8Array {
  const parsed = family === 4 ? ipv4ToBytes(address) : ipv6ToBytes(address);
  if (parsed === null) {
    throw new InputError(`cannot destroy ${describe()}: "${address}" is not an IPv${family} address`);
  }
  return parsed;
}

function checkPort(port: number, describe: () => string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`cannot destroy ${describe()}: port ${port} is out of range`);
  }
}

/** [low, high] host-order words of the cookie; "no cookie" when unknown. */
function cookieWords(cookie: string | null, describe: () => string): [number, number] {
  if (cookie === null) return [NO_COOKIE_WORD, NO_COOKIE_WORD];
  if (!/^\d+$/.test(cookie) || BigInt(cookie) > MAX_COOKIE) {
    throw new InputError(`cannot destroy ${describe()}: cookie "${cookie}" is not a 64-bit number`);
  }
  const value = BigInt(cookie);
  return [Number(value & 0xffffffffn), Number(value >> 32n)];
}
