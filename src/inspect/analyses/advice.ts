/**
 * @module What the advisor counts in the sockets, as an analysis: TIME_WAIT
 * per destination (through the TIME_WAIT report), CLOSE_WAIT, and the
 * listeners' queues where the source knows their backlog.
 */
import type { AdvisorFacts, AdvisorInput, Listener } from "../../analysis/advisor/types.js";
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import {
  buildTimeWaitReport,
  type Destination,
  type TimeWaitReport,
} from "../../analysis/time-wait/report.js";
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

/**
 * The facts from what other analyses already built: the TIME_WAIT report,
 * the state counts and the listeners (netlink only: null elsewhere). The
 * watcher has those for every sample and needs no second pass over the sockets.
 */
export function advisorFactsOf(
  report: TimeWaitReport,
  counts: { timeWait: number; closeWait: number },
  listeners: readonly Listener[] | null,
): AdvisorFacts {
  const outgoing = report.destinations.filter((d) => d.direction === "outgoing");
  const worstSeverity = maxSeverity(outgoing.map((d) => d.severity));
  // Destinations come most TIME_WAIT first: the first at the worst severity is the one to name.
  const worst = outgoing.find(
    (d) => worstSeverity !== null && severityRank(d.severity) === severityRank(worstSeverity),
  );
  const facts: AdvisorFacts = {
    timeWait: counts.timeWait,
    outgoingTimeWait: report.outgoing,
    closeWait: counts.closeWait,
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
  if (listeners) facts.listeners = listeners;
  return facts;
}

function socketFacts(
  sockets: readonly TcpSocket[],
  sysctls: Record<string, string>,
  source: SourceKind,
): AdvisorFacts {
  const { settings } = settingsFromSysctls(sysctls);
  const report = buildTimeWaitReport({ sockets: sockets, settings, windowSec: 10 });
  const counts = {
    timeWait: sockets.filter((s) => s.state === TcpState.TIME_WAIT).length,
    closeWait: sockets.filter((s) => s.state === TcpState.CLOSE_WAIT).length,
  };
  // Only netlink reports a listener's backlog (/proc/net/tcp and captures do not).
  const listeners =
    source === "netlink"
      ? sockets
          .filter((s) => s.state === TcpState.LISTEN)
          .map((s): Listener => ({ local: formatEndpoint(s.local), backlog: s.sendQ, queued: s.recvQ }))
      : null;
  return advisorFactsOf(report, counts, listeners);
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

/** What the advisor reads besides socket facts: the kernel, its settings and counters. */
export type AdvisorSettings = Omit<AdvisorInput, "facts" | "config">;

/**
 * The advisor's settings and counters alone, no sockets: for a caller that
 * builds the socket facts from its other analyses (advisorFactsOf).
 */
export function advisorSettingsAnalysis(): Analysis<AdvisorSettings> {
  return {
    name: "advisor",
    needs: { states: 0, sysctls: SOCKDOC_SYSCTLS, counters: true },
    start(facts) {
      return {
        add: () => {},
        finish: () => ({
          kernel: facts.host.kernel,
          sysctls: facts.sysctls.values,
          missing: facts.sysctls.missing,
          counters: facts.counters,
        }),
      };
    },
  };
}
