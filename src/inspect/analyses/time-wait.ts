/**
 * @module The TIME_WAIT report as an analysis: destinations grouped as the
 * sockets pass (LISTEN first, so every bound port is known), the scope's
 * own port settings, and a kernel filter for the other states when timewait
 * is alone in wanting them.
 */
import { overlongTimerWarning } from "../../analysis/time-wait/note.js";
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import { reportFromGrouping, type TimeWaitReport } from "../../analysis/time-wait/report.js";
import { settingsFromSysctls, TIME_WAIT_SYSCTLS } from "../../analysis/time-wait/settings.js";
import { TimeWaitStream } from "../../analysis/time-wait/stream.js";
import type { TcpSocket } from "../../model/socket.js";
import { localPortRangeProgram, MAX_REMOTE_PORTS, type SocketCursor } from "../../sources/sock-diag.js";
import type { Analysis, Collector, ScopeFacts } from "../analysis.js";

export interface TimeWaitParams {
  /** Which TIME_WAIT sockets are reported (the filter beyond its states); all when absent. */
  matches?: (s: TcpSocket) => boolean;
  /** Seconds of TIME_WAIT age that give the current rate. */
  windowSec: number;
}

export interface TimeWaitResult {
  report: TimeWaitReport;
  /** About the settings (missing, unreadable, not understood). */
  warnings: string[];
}

function settingsOf(facts: ScopeFacts) {
  // A capture that lacks a setting says so; a host that lacks one could not read it.
  const origin = facts.source.kind === "capture" ? "capture" : "host";
  const { settings, warnings } = settingsFromSysctls(facts.sysctls.values, origin);
  for (const u of facts.sysctls.unreadable) warnings.push(`cannot read ${u.name} (${u.code})`);
  return { settings, warnings };
}

export function timeWaitAnalysis(p: TimeWaitParams): Analysis<TimeWaitResult> {
  return {
    name: "timewait",
    needs: {
      states: PORT_HOLDING_STATES_MASK,
      sysctls: TIME_WAIT_SYSCTLS,
      listenFirst: true,
      // The grouping reads endpoints and TIME_WAIT's time left; a filter may read anything.
      ...(p.matches === undefined ? { fields: "endpoints" as const } : {}),
    },
    start(facts): Collector<TimeWaitResult> {
      const { settings, warnings } = settingsOf(facts);
      const { matches } = p;
      const stream = new TimeWaitStream<SocketCursor>(
        settings,
        matches && ((c: SocketCursor) => matches(c.socket)),
      );
      return {
        add: (c) => stream.add(c),
        // The other states only count toward outgoing destinations, from a local
        // port of the range: the kernel can leave out the rest (none: skip them).
        narrowOthers: () => {
          // Sorted: the same ports give the same program (an early dump's is compared with the final one).
          const ports = stream.outgoingRemotePorts().sort((a, b) => a - b);
          if (ports.length === 0) return null;
          const [low, high] = settings.portRange;
          return localPortRangeProgram(low, high, ports.length <= MAX_REMOTE_PORTS ? ports : undefined);
        },
        // Other states count only from a local port of the range (grouping.ts addOther).
        localPortsWanted: () => settings.portRange,
        finish: () => {
          const report = reportFromGrouping(stream.finish(), settings, p.windowSec);
          if (report.overlongTimers) warnings.push(overlongTimerWarning(report.overlongTimers));
          return { report, warnings };
        },
      };
    },
  };
}
