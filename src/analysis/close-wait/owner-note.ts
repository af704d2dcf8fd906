/**
 * @module Why a CLOSE_WAIT socket has no known owner, in one plain sentence.
 * Not being root is not an error: the sockets are still counted and
 * classified, and the note says how to see the owner.
 */
import type { TcpSocket } from "../../model/socket.js";

export interface OwnerContext {
  /** Whether the source looked owners up at all. */
  ownersResolved: boolean;
  /** Processes whose /proc/PID/fd could not be read (other users' processes when not root). */
  deniedCount: number;
  /** uid -> user name, for saying whose socket it is. */
  userOf?: (uid: number) => string | null;
}

function whose(s: TcpSocket, ctx: OwnerContext): string {
  if (s.uid === null) return "";
  const name = ctx.userOf?.(s.uid) ?? null;
  return name ? ` (socket of user ${name}, uid ${s.uid})` : ` (socket of uid ${s.uid})`;
}

/** null when the socket has a known owner. */
export function ownerNote(s: TcpSocket, ctx: OwnerContext): string | null {
  if (s.owners && s.owners.length > 0) return null;
  if (s.inode === 0) return "not accepted yet: no process holds an fd on it; see the listener";
  if (!ctx.ownersResolved || s.owners === null) return "owner not looked up by this source";
  if (ctx.deniedCount > 0) {
    const n = ctx.deniedCount;
    return (
      `owner unknown${whose(s, ctx)}: ${n} process${n === 1 ? "" : "es"} of other users could not be ` +
      "inspected; run as root (sudo sockdoc closewait) to see it"
    );
  }
  return `owner unknown${whose(s, ctx)}: no process has it open (it may have just exited)`;
}
