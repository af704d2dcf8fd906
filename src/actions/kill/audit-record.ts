/**
 * @module The audit record of one closed socket (pure): who closed what,
 * when, on which host, with the identity the kernel matched (4-tuple,
 * inode, cookie) and who held it. One JSON object per line in the log.
 */
import type { Owner, TcpSocket } from "../../model/socket.js";
import { type SocketJson, socketToJson } from "../../render/socket-json.js";
import type { KillResult } from "./types.js";

export interface AuditContext {
  time: Date;
  host: string;
  /** The effective user, and the one sudo ran us for (SUDO_USER) when there is one. */
  user: { uid: number | null; name: string | null; sudoUser: string | null };
  /** The filter as given, canonical form. */
  filter: string;
}

export interface AuditRecord {
  time: string;
  host: string;
  user: AuditContext["user"];
  action: "SOCK_DESTROY";
  filter: string;
  socket: Pick<SocketJson, "family" | "state" | "local" | "remote">;
  inode: number | null;
  cookie: string | null;
  owners: Owner[] | null;
  outcome: string;
}

export function auditRecord(result: KillResult, ctx: AuditContext): AuditRecord {
  const s = result.socket;
  return {
    time: ctx.time.toISOString(),
    host: ctx.host,
    user: ctx.user,
    action: "SOCK_DESTROY",
    filter: ctx.filter,
    socket: socketIdentity(s),
    inode: s.inode,
    cookie: s.cookie,
    owners: s.owners,
    outcome: result.outcome,
  };
}

/** The socket as ls's JSON names it, cut to what identifies it. */
function socketIdentity(s: TcpSocket): Pick<SocketJson, "family" | "state" | "local" | "remote"> {
  const { family, state, local, remote } = socketToJson(s);
  return { family, state, local, remote };
}
