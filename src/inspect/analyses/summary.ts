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
}

export function summaryAnalysis(p: SummaryParams): Analysis<Summary> {
  return {
    name: "summary",
    needs: { states: p.statesMask, owners: p.owners },
    start(): Collector<Summary> {
      const { matches } = p;
      if (p.owners) {
        const kept: TcpSocket[] = [];
        return {
          add: (c) => {
            if (matches === undefined || matches(c.socket)) kept.push(materialize(c));
          },
          records: () => kept,
          finish: (g) => summarize(kept, p.top, g.ownersResolved),
        };
      }
      const builder = new SummaryBuilder();
      return {
        add: (c) => {
          if (matches === undefined || matches(c.socket)) builder.add(c.state, c.localPort, c.remoteAddress);
        },
        finish: () => builder.result(p.top, false),
      };
    },
  };
}
