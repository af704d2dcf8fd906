/**
 * @module Pure reading of the two support probes' answers.
 *
 * SOCK_DESTROY itself: the kernel looks the socket up before it checks
 * permission or calls the protocol's destroy, and answers EOPNOTSUPP before
 * even looking when it was built without CONFIG_INET_DIAG_DESTROY. So a
 * destroy of a socket that cannot exist (local port 0) tells the two apart
 * with no side effect, without root, in microseconds: ENOENT = supported.
 *
 * TIME_WAIT: older kernels find TIME_WAIT sockets but answer EOPNOTSUPP
 * when asked to destroy one; that can only be learned by destroying a real
 * one, so the probe makes its own on loopback (see probe.ts).
 */
import { ERRNO, errnoName } from "./errno.js";
import type { ProbeResult } from "./types.js";

export const BOGUS_TARGET = "127.0.0.1:0";

export function destroyVerdict(errno: number): ProbeResult {
  const asked = `destroying a socket that cannot exist (${BOGUS_TARGET}) answered`;
  if (errno === ERRNO.ENOENT || errno === 0) {
    return { status: "supported", detail: `${asked} ENOENT (no such socket), not EOPNOTSUPP` };
  }
  if (errno === ERRNO.EOPNOTSUPP) {
    return {
      status: "unsupported",
      detail: `${asked} EOPNOTSUPP: this kernel was built without CONFIG_INET_DIAG_DESTROY`,
    };
  }
  return { status: "unknown", detail: `${asked} ${errnoName(errno)}; each socket will be tried` };
}

/**
 * first: the answer to destroying our own TIME_WAIT socket; second: the
 * answer to destroying it again (ENOENT proves it is gone), null if not asked.
 */
export function timeWaitVerdict(first: number, second: number | null): ProbeResult {
  const own = "destroying a TIME_WAIT socket of our own on loopback";
  if (first === 0 && second === ERRNO.ENOENT) {
    return { status: "supported", detail: `${own} worked (asked again: ENOENT, it is gone)` };
  }
  if (first === 0) {
    const again = second === null ? "not checked" : errnoName(second);
    return { status: "unknown", detail: `${own} answered 0 but asking again gave ${again}` };
  }
  if (first === ERRNO.EOPNOTSUPP) {
    return {
      status: "unsupported",
      detail: `${own} answered EOPNOTSUPP: this kernel cannot destroy TIME_WAIT sockets; they expire on their own within 60 s`,
    };
  }
  return { status: "unknown", detail: `${own} answered ${errnoName(first)}; each socket will be tried` };
}

/** When the TIME_WAIT probe could not run at all. */
export function timeWaitNotProbed(reason: string): ProbeResult {
  return { status: "unknown", detail: `not probed: ${reason}` };
}
