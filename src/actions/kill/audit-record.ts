/**
 * @module The audit record of one closed socket (pure): who closed what,
 * when, on which host, with the identity the kernel matched (4-tuple,
 * inode, cookie) and who held it. One JSON object per line in the log.
 */
import type { Owner } from "../../model/socket.js";
import { stateName } from "../../model/tcp-state.js";
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
  socket: {
    family: "inet" | "inet6";
    state: string;
    local: { address: string; port: number };
    remote: { address: string; port: number };
  };
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
    socket: {
      family: s.family === 4 ? "inet" : "inet6",
      state: stateName(s.state),
      local: { address: s.local.address, port: s.local.port },
      remote: { address: s.remote.address, port: s.remote.port },
    },
    inode: s.inode,
    cookie: s.cookie,
    owners: s.owners,
    outcome: result.outcome,
  };
}
