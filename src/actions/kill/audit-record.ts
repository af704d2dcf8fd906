/**
 * @module The audit records of one destroy (pure): who closed what, when, on
 * which host, with the identity the kernel matched (4-tuple, inode, cookie)
 * and who held it. Two JSON lines per socket: an "intent", synced before
 * SOCK_DESTROY is asked, so that no socket is ever closed without a record;
 * and its "outcome" once the kernel answered. An intent without an outcome
 * (a crash, a disk that filled up between the two) means: possibly closed.
 */
import type { NetnsRef } from "../../model/netns.js";
import type { Owner, TcpSocket } from "../../model/socket.js";
import { type SocketJson, socketToJson } from "../../render/socket-json.js";
import type { KillOutcome, KillResult } from "./types.js";

export interface AuditContext {
  time: Date;
  host: string;
  /** The effective user, and the one sudo ran us for (SUDO_USER) when there is one. */
  user: { uid: number | null; name: string | null; sudoUser: string | null };
  /** The filter as given, canonical form. */
  filter: string;
  /** The network namespace the sockets were closed in (--netns); absent for sockdoc's own. */
  netns?: NetnsRef;
}

export interface AuditRecord {
  time: string;
  host: string;
  user: AuditContext["user"];
  action: "SOCK_DESTROY";
  /** "intent": written before the destroy; "outcome": what the kernel answered. */
  phase: "intent" | "outcome";
  filter: string;
  /** With --netns: the namespace (inode, name, container) the socket was in. */
  netns?: NetnsRef;
  socket: Pick<SocketJson, "family" | "state" | "local" | "remote">;
  inode: number | null;
  cookie: string | null;
  owners: Owner[] | null;
  /** null in an intent. */
  outcome: KillOutcome | null;
}

function record(
  socket: TcpSocket,
  phase: AuditRecord["phase"],
  outcome: KillOutcome | null,
  ctx: AuditContext,
): AuditRecord {
  return {
    time: ctx.time.toISOString(),
    host: ctx.host,
    user: ctx.user,
    action: "SOCK_DESTROY",
    phase,
    filter: ctx.filter,
    ...(ctx.netns ? { netns: ctx.netns } : {}),
    socket: socketIdentity(socket),
    inode: socket.inode,
    cookie: socket.cookie,
    owners: socket.owners,
    outcome,
  };
}

/** Written (and synced) before SOCK_DESTROY is asked for socket. */
export function intentRecord(socket: TcpSocket, ctx: AuditContext): AuditRecord {
  return record(socket, "intent", null, ctx);
}

/** What became of a socket whose intent was recorded. */
export function outcomeRecord(result: KillResult, ctx: AuditContext): AuditRecord {
  return record(result.socket, "outcome", result.outcome, ctx);
}

/** The socket as ls's JSON names it, cut to what identifies it. */
function socketIdentity(s: TcpSocket): Pick<SocketJson, "family" | "state" | "local" | "remote"> {
  const { family, state, local, remote } = socketToJson(s);
  return { family, state, local, remote };
}
