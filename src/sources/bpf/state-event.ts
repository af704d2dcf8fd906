/**
 * @module The state tracer's events as the kernel program writes them
 * (native/bpf-state-program.h: 72 bytes, host byte order but the ports
 * and the addresses, which are in network order). Pure.
 */
import { type Family, ipv4FromBytes, ipv6FromBytes } from "../../model/endpoint.js";

export const EVENT_BYTES = 72;
const AF_INET6 = 10;

/** One TCP state change, as the kernel saw it. */
export interface StateChange {
  /** CLOSE_WAIT entered etc.: CLOCK_MONOTONIC in ms (fractional), the kernel's clock. */
  monotonicMs: number;
  /** The struct sock's address, hex: a key for one socket while it lives (reused after it is freed). */
  skaddr: string;
  /** The network namespace's inode (0 where the kernel's read failed). */
  netns: number;
  family: Family;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  oldState: number;
  newState: number;
}

/** Every whole event in bytes (a trailing partial one is ignored: the ring only hands whole records). */
export function decodeStateChanges(bytes: Uint8Array): StateChange[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: StateChange[] = [];
  for (let at = 0; at + EVENT_BYTES <= bytes.length; at += EVENT_BYTES) {
    const v6 = view.getUint16(at + 28, true) === AF_INET6;
    out.push({
      monotonicMs: view.getUint32(at + 4, true) * 4294.967296 + view.getUint32(at, true) / 1e6,
      skaddr:
        view.getUint32(at + 12, true).toString(16) +
        view
          .getUint32(at + 8, true)
          .toString(16)
          .padStart(8, "0"),
      netns: view.getUint32(at + 16, true),
      oldState: view.getUint32(at + 20, true),
      newState: view.getUint32(at + 24, true),
      family: v6 ? 6 : 4,
      localPort: view.getUint16(at + 30, false),
      remotePort: view.getUint16(at + 32, false),
      localAddress: v6 ? ipv6FromBytes(bytes, at + 40) : ipv4FromBytes(bytes, at + 40),
      remoteAddress: v6 ? ipv6FromBytes(bytes, at + 56) : ipv4FromBytes(bytes, at + 56),
    });
  }
  return out;
}
