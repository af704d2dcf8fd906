/**
 * @module The summary as an analysis: counts per state and the top ports and
 * peers streamed as the sockets pass, or (with owners) from the kept
 * records once their owners are known.
 */
import { portKnown } from "../../model/endpoint.js";
import { type Summary, SummaryBuilder } from "../../analysis/summary.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import type { Analysis, Collector } from "../analysis.js";
import { RecordCursor } from "../record-cursor.js";

export interface SummaryParams {
  statesMask: number;
  /** The filter beyond its states; absent: every socket of the states. */
  matches?: (s: TcpSocket) => boolean;
  top: number;
  /** Count per owning process too. */
  owners: boolean;
  /**
   * One count over every scope the analysis is given (the host-wide summary
   * of --all-netns): its collectors share one tally, complete once every
   * scope was read. Named "summary-all".
   */
  acrossScopes?: boolean;
}

export function summaryAnalysis(p: SummaryParams): Analysis<Summary> {
  const shared = { builder: new SummaryBuilder(p.top > 0), inodes: [] as number[] };
  return {
    name: p.acrossScopes ? "summary-all" : "summary",
    needs: {
      states: p.statesMask,
      owners: p.owners,
      // Counting needs no socket one by one, unless a filter or owners look at each.
      ...(p.matches === undefined && !p.owners
        ? { tally: { states: p.statesMask, detail: p.top > 0 }, fields: "endpoints" as const }
        : {}),
    },
    start(): Collector<Summary> {
      const { matches } = p;
      const own = p.acrossScopes
        ? shared
        : { builder: new SummaryBuilder(p.top > 0), inodes: [] as number[] };
      const { builder, inodes } = own;
      return {
        add: (c) => {
          if (matches !== undefined && !matches(c.socket)) return;
          // A capture's records carry their owners; the host's are found later, by inode.
          const given = c instanceof RecordCursor ? c.socket.owners : null;
          // A capture's service name that has no number is counted by its name.
          const named =
            c instanceof RecordCursor && !portKnown(c.socket.local) ? c.socket.local.service : undefined;
          builder.add(c.state, c.localPort, c.remoteAddress, p.owners ? given : null, named);
          if (p.owners && given === null && c.state !== TcpState.LISTEN && c.inode > 0) inodes.push(c.inode);
        },
        addTally: (t) => builder.addTally(t),
        ...(p.owners ? { ownerInodes: () => inodes } : {}),
        finish: (g) => {
          if (p.owners && g.ownersByInode.size > 0) {
            for (const inode of inodes) {
              const owners = g.ownersByInode.get(inode);
              if (owners) builder.addOwners(owners);
            }
            // Counted once: a shared tally is finished once per scope.
            inodes.length = 0;
          }
          return builder.result(p.top, p.owners && g.ownersResolved);
        },
      };
    },
  };
}
