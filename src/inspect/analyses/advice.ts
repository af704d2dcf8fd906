/**
 * @module What the advisor counts in the sockets, as an analysis: TIME_WAIT
 * per destination (through the TIME_WAIT report), CLOSE_WAIT, and the
 * listeners' queues where the source knows their backlog.
 */
import type { AdvisorFacts, Listener } from "../../analysis/advisor/types.js";
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import { buildTimeWaitReport, type Destination } from "../../analysis/time-wait/report.js";
import { settingsFromSysctls } from "../../analysis/time-wait/settings.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { maxSeverity, severityRank } from "../../model/severity.js";
import type { SourceKind } from "../../model/snapshot.js";
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { SOCKDOC_SYSCTLS } from "../../sources/sysctl.js";
import type { Analysis } from "../analysis.js";
import { materialize } from "../records.js";

/** TIME_WAIT, what holds ports, CLOSE_WAIT and listeners: what the rules count. */
const STATES = PORT_HOLDING_STATES_MASK;

function destinationName(d: Destination): string {
  const port = d.remote.port === null ? "" : `:${d.remote.port}`;
  const remote =
    d.remote.address.includes(":") && port ? `[${d.remote.address}]${port}` : `${d.remote.address}${port}`;
  return `${d.local.address} -> ${remote}`;
}

function socketFacts(
  sockets: readonly TcpSocket[],
  sysctls: Record<string, string>,
  source: SourceKind,
): AdvisorFacts {
  const { settings } = settingsFromSysctls(sysctls);
  const report = buildTimeWaitReport({ sockets: sockets, settings, windowSec: 10 });
  const outgoing = report.destinations.filter((d) => d.direction === "outgoing");
  const worstSeverity = maxSeverity(outgoing.map((d) => d.severity));
  // Destinations come most TIME_WAIT first: the first at the worst severity is the one to name.
  const worst = outgoing.find(
    (d) => worstSeverity !== null && severityRank(d.severity) === severityRank(worstSeverity),
  );
  const facts: AdvisorFacts = {
    timeWait: sockets.filter((s) => s.state === TcpState.TIME_WAIT).length,
    outgoingTimeWait: report.outgoing,
    closeWait: sockets.filter((s) => s.state === TcpState.CLOSE_WAIT).length,
    worstOutgoing:
      worst && worst.portsInUse !== null && worst.sustainablePerSec !== null
        ? {
            destination: destinationName(worst),
            severity: worst.severity,
            portsInUse: worst.portsInUse,
            budget: report.settings.budget,
            ratePerSec: worst.ratePerSec,
            sustainablePerSec: worst.sustainablePerSec,
          }
        : null,
  };
  // Only netlink reports a listener's backlog (/proc/net/tcp and captures do not).
  if (source === "netlink") {
    facts.listeners = sockets
      .filter((s) => s.state === TcpState.LISTEN)
      .map((s): Listener => ({ local: formatEndpoint(s.local), backlog: s.sendQ, queued: s.recvQ }));
  }
  return facts;
}

export function adviceAnalysis(): Analysis<AdvisorFacts> {
  return {
    name: "advice",
    needs: { states: STATES, sysctls: SOCKDOC_SYSCTLS, counters: true },
    start(facts) {
      const kept: TcpSocket[] = [];
      return {
        add: (c) => kept.push(materialize(c)),
        finish: () => socketFacts(kept, facts.sysctls.values, facts.source.kind),
      };
    },
  };
}
