/**
 * @module The summary as an analysis: counts per state and the top ports and
 * peers streamed as the sockets pass, or (with owners) from the kept
 * records once their owners are known.
 */
import { type Summary, SummaryBuilder, summarize } from "../../analysis/summary.js";
import type { TcpSocket } from "../../model/socket.js";
import type { Analysis, Collector } from "../analysis.js";
import { materialize } from "../records.js";

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
  const sharedKept: TcpSocket[] = [];
  const sharedBuilder = new SummaryBuilder();
  return {
    name: p.acrossScopes ? "summary-all" : "summary",
    needs: { states: p.statesMask, owners: p.owners },
    start(): Collector<Summary> {
      const { matches } = p;
      if (p.owners) {
        const kept: TcpSocket[] = p.acrossScopes ? sharedKept : [];
        return {
          add: (c) => {
            if (matches === undefined || matches(c.socket)) kept.push(materialize(c));
          },
          records: () => kept,
          finish: (g) => summarize(kept, p.top, g.ownersResolved),
        };
      }
      const builder = p.acrossScopes ? sharedBuilder : new SummaryBuilder();
      return {
        add: (c) => {
          if (matches === undefined || matches(c.socket)) builder.add(c.state, c.localPort, c.remoteAddress);
        },
        finish: () => builder.result(p.top, false),
      };
    },
  };
}
