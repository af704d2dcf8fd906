/**
 * @module The note metrics -p owes when its per-process metric is short:
 * CLOSE_WAIT sockets whose process could not be read are in the state
 * counts but in no sockdoc_close_wait_process_sockets sample. Pure.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";

/**
 * The note, or null when every CLOSE_WAIT socket has an owner or no process
 * refused (an owner that exited is not a refusal). asRoot: root is refused
 * only by another user namespace or a security module; rerunning as root is
 * then no advice.
 */
export function processMetricNote(
  sockets: readonly TcpSocket[],
  deniedCount: number,
  asRoot: boolean,
): string | null {
  if (deniedCount === 0) return null;
  let unowned = 0;
  for (const s of sockets) if (s.state === TcpState.CLOSE_WAIT && s.owners?.length === 0) unowned++;
  if (unowned === 0) return null;
  const left = `sockdoc_close_wait_process_sockets leaves out ${unowned} CLOSE_WAIT sockets`;
  return asRoot
    ? `${left}: ${deniedCount} processes refused to show their fds even to root`
    : `${left} of other users' processes (not root: their fds cannot be read); run as root (sudo sockdoc metrics -p) to include them`;
}
