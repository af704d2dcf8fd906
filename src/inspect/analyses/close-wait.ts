/**
 * @module The CLOSE_WAIT report as an analysis: the CLOSE_WAIT sockets that
 * pass the filter and the listeners on their ports, kept as records so their
 * owners and the owners' processes can be read, then the report (with the
 * tracker of earlier inspections when sampling).
 */
import type { PortRange } from "../../analysis/close-wait/grouping.js";
import { keepRelevant } from "../../analysis/close-wait/relevant.js";
import { buildReport, type CloseWaitReport } from "../../analysis/close-wait/report.js";
import type { CloseWaitTracker } from "../../analysis/close-wait/tracker.js";
import { parsePortRange } from "../../analysis/time-wait/ports.js";
import type { TcpSocket } from "../../model/socket.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import type { Analysis, Collector, ScopeFacts } from "../analysis.js";
import { materialize } from "../records.js";

const RANGE = "net.ipv4.ip_local_port_range";

export interface CloseWaitParams {
  /** Which CLOSE_WAIT sockets are reported; all when absent. */
  matches?: (s: TcpSocket) => boolean;
  /** Read each owner's threads (false: skip /proc/PID/task). */
  threads: boolean;
  /** Earlier samples, for growth and ages; the sockets of this one are added to it. */
  tracker?: CloseWaitTracker | null;
}

export interface CloseWaitResult {
  report: CloseWaitReport;
  /** The CLOSE_WAIT sockets and the listeners on their ports, with owners. */
  sockets: TcpSocket[];
  /** Processes whose fds could not be read. */
  deniedCount: number;
}

function ephemeralOf(facts: ScopeFacts): PortRange | null {
  const text = facts.sysctls.values[RANGE];
  const range = text === undefined ? null : parsePortRange(text);
  return range ? { low: range[0], high: range[1] } : null;
}

export function closeWaitAnalysis(p: CloseWaitParams): Analysis<CloseWaitResult> {
  return {
    name: "closewait",
    needs: {
      states: stateBit(TcpState.CLOSE_WAIT) | stateBit(TcpState.LISTEN),
      sysctls: [RANGE],
      owners: true,
      processes: { threads: p.threads },
    },
    start(facts): Collector<CloseWaitResult> {
      const kept: TcpSocket[] = [];
      let relevant: TcpSocket[] | null = null;
      const { matches } = p;
      return {
        add: (c) => {
          if (c.state === TcpState.LISTEN || matches === undefined || matches(c.socket))
            kept.push(materialize(c));
        },
        records: () => (relevant ??= keepRelevant(kept)),
        finish: (g) => {
          const sockets = (relevant ??= keepRelevant(kept));
          if (p.tracker) {
            p.tracker.add(
              facts.takenAt,
              sockets.filter((s) => s.state === TcpState.CLOSE_WAIT),
              facts.netns ?? "",
            );
          }
          const ephemeral = ephemeralOf(facts);
          const report = buildReport({
            sockets,
            facts: g.processes,
            tracker: p.tracker ?? null,
            now: facts.takenAt,
            ownersResolved: g.ownersResolved,
            deniedCount: g.deniedCount,
            backlogKnown: facts.source.kind === "netlink",
            userOf: (uid) => g.users.get(uid) ?? null,
            goBinaries: g.goBinaries,
            ...(ephemeral ? { ephemeral } : {}),
          });
          return { report, sockets, deniedCount: g.deniedCount };
        },
      };
    },
  };
}
