/**
 * @module SOCK_DESTROY of many sockets off the event loop, for long-running
 * interfaces (a server must keep answering while a batch of thousands is
 * destroyed). kill itself keeps destroySockets (execute.ts): one socket at a
 * time, with its audit record written as it goes.
 */
import type { TcpSocket } from "../../model/socket.js";
import type { NativeAddon } from "../../sources/native.js";
import { buildDestroyRequest } from "../../sources/sock-diag.js";

/** What the kernel answered for one socket of a batch. */
export interface DestroyAnswer {
  socket: TcpSocket;
  /**
   * 0 destroyed; a positive errno the kernel answered (ENOENT: gone or
   * replaced since the read, EPERM, EOPNOTSUPP...); null when the request was
   * not sent or its answer is unknown (the socket's id cannot be encoded, or
   * the netlink channel failed at or before it).
   */
  errno: number | null;
}

/**
 * Destroys targets by exact id and cookie, in order, on a libuv pool thread
 * through one netlink socket (inetDiagDestroyBatchAsync). Resolves to one
 * answer per target, in the same order. Writes no audit record: the caller
 * records the ones with errno 0 (and, where a record must come before the
 * close, records its intent before calling).
 */
export async function destroyBatchAsync(
  addon: Pick<NativeAddon, "inetDiagDestroyBatchAsync">,
  targets: readonly TcpSocket[],
): Promise<DestroyAnswer[]> {
  const answers: DestroyAnswer[] = targets.map((socket) => ({ socket, errno: null }));
  const requests: Buffer[] = [];
  const sent: number[] = [];
  targets.forEach((socket, i) => {
    try {
      requests.push(buildDestroyRequest(socket));
      sent.push(i);
    } catch {
      // An id that cannot be encoded (no cookie, a bad address): not sent.
    }
  });
  if (requests.length === 0) return answers;
  const replies = await addon.inetDiagDestroyBatchAsync(requests);
  sent.forEach((target, k) => {
    const reply = replies[k];
    // Negative: the channel failed here, so this one and the rest are unknown.
    answers[target]!.errno = reply === undefined || reply < 0 ? null : reply;
  });
  return answers;
}
