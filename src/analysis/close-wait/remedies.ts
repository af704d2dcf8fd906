/**
 * @module Ranked remedies for one CLOSE_WAIT group: fixing the application
 * is the only lasting one; closing the sockets with `sockdoc kill` or
 * restarting the process buys time and the leak comes back.
 */
import { isIP } from "node:net";
import type { Severity } from "./severity.js";
import type { CloseWaitGroup } from "./types.js";

export type RemedyKind = "fix" | "close" | "restart";

export interface Remedy {
  rank: number;
  kind: RemedyKind;
  text: string;
  /** A command line to run, when there is one. */
  command: string | null;
}

/** Whom to name: the owner, or for queued connections the listener's process. */
function who(g: CloseWaitGroup): string {
  if (g.owner) return `${g.owner.comm} (pid ${g.owner.pid})`;
  if (g.listener?.ownerPid != null) return `${g.listener.ownerComm ?? "?"} (pid ${g.listener.ownerPid})`;
  return "the owning application";
}

/**
 * The filter that selects this group's sockets for `sockdoc kill`: the state,
 * the port that defines the group and, when there is one peer, its address.
 * A string when that peer's address is not an IP address (a capture may say
 * "hello"): it never goes into a command line, so there is no filter.
 */
export function killFilter(g: CloseWaitGroup): string | { badAddress: string } {
  const words = ["state", "close-wait"];
  if (g.localPort !== null) words.push("sport", "=", `:${g.portService ?? g.localPort}`);
  if (g.peerPort !== null) words.push("dport", "=", `:${g.portService ?? g.peerPort}`);
  const only = g.peers.length === 1 ? g.peers[0] : undefined;
  if (only && isIP(only.address) === 0) return { badAddress: only.address };
  // Bare IPv6: a bracketed address is a glob to the shell ("[::1]" can match a file named 1).
  if (only) words.push("dst", only.address);
  return words.join(" ");
}

function restart(g: CloseWaitGroup, unit: string | null, container: string | null): Remedy {
  const name = who(g);
  const tail = "clears them all at once but drops its other connections, and the leak comes back.";
  if (unit) {
    return {
      rank: 3,
      kind: "restart",
      text: `Restart ${unit}: ${tail}`,
      command: `systemctl restart ${unit}`,
    };
  }
  if (container) {
    return {
      rank: 3,
      kind: "restart",
      text: `Restart container ${container.slice(0, 12)}: ${tail}`,
      command: `docker restart ${container.slice(0, 12)}`,
    };
  }
  return {
    rank: 3,
    kind: "restart",
    text: `Restart ${name} the way it is normally started: ${tail}`,
    command: null,
  };
}

export interface RemedyContext {
  /** The fix text already says why and where to look (cause + hint). */
  evidence: string;
  unit: string | null;
  container: string | null;
  /** Groups that the same kill filter would also hit (same direction and port). */
  overlapping: number;
  severity: Severity;
}

export function remediesFor(g: CloseWaitGroup, ctx: RemedyContext): Remedy[] {
  const filter = killFilter(g);
  const also =
    ctx.overlapping > 0
      ? ` This filter also matches ${ctx.overlapping} other group${ctx.overlapping === 1 ? "" : "s"} on that port.`
      : "";
  const effect =
    g.cause === "not-accepted"
      ? "each peer gets a reset; the listener hands out aborted connections when it next accepts."
      : `each peer gets a reset; ${who(g)} keeps its fds and gets ECONNABORTED on its next call on them.`;
  const urgent =
    ctx.severity === "critical"
      ? " Do this (or the restart) first to buy time, then fix the application."
      : "";
  return [
    { rank: 1, kind: "fix", text: `Fix ${who(g)}: ${ctx.evidence}`, command: null },
    {
      rank: 2,
      kind: "close",
      text:
        `Close these ${g.count} socket${g.count === 1 ? "" : "s"} now without a restart: ${effect}${also}${urgent}` +
        (typeof filter === "string"
          ? ""
          : ` No command is suggested: the peer address ${JSON.stringify(filter.badAddress.slice(0, 60))} ` +
            "is not an IP address."),
      command: typeof filter === "string" ? `sockdoc kill ${filter}` : null,
    },
    restart(g, ctx.unit, ctx.container),
  ];
}
