/**
 * @module One namespace's inspection as the store's sample: per-state
 * counts, CLOSE_WAIT groups with the first sight of their oldest socket,
 * TIME_WAIT destinations, the sysctls read, the advisor's findings. Pure
 * (the inspection is data).
 */
import { advise } from "../../analysis/advisor/index.js";
import type { Finding } from "../../analysis/advisor/types.js";
import { causeOf } from "../../analysis/close-wait/cause.js";
import type { ReportGroup } from "../../analysis/close-wait/report.js";
import { holderOf, socketKey } from "../../analysis/close-wait/tracker.js";
import type { Summary } from "../../analysis/summary.js";
import type { GroupEnd } from "../../analysis/time-wait/grouping.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import { advisorFactsOf, type AdvisorSettings } from "../../inspect/analyses/advice.js";
import type { CloseWaitResult } from "../../inspect/analyses/close-wait.js";
import type { ListenerQueue } from "../../inspect/analyses/listeners.js";
import type { Inspection } from "../../inspect/inspect.js";
import { TcpState } from "../../model/tcp-state.js";
import { netnsLabel } from "../../report/netns.js";
import type { CloseWaitGroupSample, DestinationSample, NamespaceSample } from "../../store/sample.js";

export function endText(e: GroupEnd): string {
  const addr = e.address.includes(":") ? `[${e.address}]` : e.address;
  return `${addr}:${e.port ?? "*"}`;
}

/** How the store names the scope's namespace: "" for sockdoc's own when not asked for namespaces. */
export function netnsNameOf(inspection: Inspection, namespaced: boolean): string {
  const { scope } = inspection;
  if (!namespaced || scope.kind !== "host" || !scope.netns) return "";
  return netnsLabel(scope.netns.ref);
}

/**
 * Each group's oldest first sight: its sockets matched by owner, cause and
 * port (the group's local port incoming, the peer's port outgoing).
 */
function groupsWithFirstSeen(
  result: CloseWaitResult,
  scopeKey: string,
  firstSeenOf: (key: string) => number | undefined,
): CloseWaitGroupSample[] {
  const byOwner = new Map<string, ReportGroup[]>();
  const ownerKey = (holder: string, cause: string) => `${holder}|${cause}`;
  const holderOfGroup = (g: ReportGroup) =>
    g.owner
      ? `pid:${g.owner.pid}`
      : g.cause === "not-accepted" && g.localPort !== null
        ? `queue:${g.localPort}`
        : "unknown";
  for (const g of result.report.groups) {
    const k = ownerKey(holderOfGroup(g), g.cause);
    byOwner.set(k, [...(byOwner.get(k) ?? []), g]);
  }
  const oldest = new Map<ReportGroup, number>();
  for (const s of result.sockets) {
    if (s.state !== TcpState.CLOSE_WAIT) continue;
    const candidates = byOwner.get(ownerKey(holderOf(s), causeOf(s)));
    const g = candidates?.find((c) => c.localPort === s.local.port || c.peerPort === s.remote.port);
    const first = firstSeenOf(`${scopeKey}/${socketKey(s)}`);
    if (!g || first === undefined) continue;
    const was = oldest.get(g);
    if (was === undefined || first < was) oldest.set(g, first);
  }
  return result.report.groups.map((g) => ({
    pid: g.owner?.pid ?? null,
    comm: g.owner?.comm ?? g.listener?.ownerComm ?? null,
    cmdline: g.owner?.cmdline ?? null,
    unit: g.owner?.unit ?? null,
    localPort: g.localPort,
    peerPort: g.peerPort,
    cause: g.cause,
    count: g.count,
    firstSeen: oldest.get(g) ?? null,
  }));
}

function destinations(report: TimeWaitReport): DestinationSample[] {
  return report.destinations.map((d) => ({
    local: endText(d.local),
    remote: endText(d.remote),
    count: d.count,
    portsLeft: d.portsLeft,
    ratePerSec: d.ratePerSec,
    exhaustedInSec: d.exhaustedInSec,
    severity: d.severity,
  }));
}

export interface SampleParts {
  summary: Summary | null;
  closeWait: CloseWaitResult | null;
  timeWait: TimeWaitReport | null;
  /** null: the advisor's inputs were not read (its findings are then left out). */
  advisor: AdvisorSettings | null;
  listeners: ListenerQueue[] | null;
}

/**
 * The advisor's findings from what the sample already has: its rules on the
 * settings read, the state counts and the TIME_WAIT report (no second pass
 * over the sockets); config files are tune's business, not read here.
 */
export function findingsOf(parts: SampleParts, netlink: boolean): Finding[] {
  if (!parts.advisor || !parts.timeWait || !parts.summary) return [];
  const states = parts.summary.states;
  const listeners =
    netlink && parts.listeners
      ? parts.listeners.map((l) => ({
          local: endText({ address: l.address, port: l.port }),
          backlog: l.backlog ?? 0,
          queued: l.queued,
        }))
      : null;
  const facts = advisorFactsOf(
    parts.timeWait,
    { timeWait: states.TIME_WAIT ?? 0, closeWait: states.CLOSE_WAIT ?? 0 },
    listeners,
  );
  return advise({ ...parts.advisor, facts }).findings;
}

export function namespaceSample(
  inspection: Inspection,
  netns: string,
  parts: SampleParts,
  firstSeenOf: (key: string) => number | undefined,
): NamespaceSample {
  const { facts } = inspection;
  return {
    at: facts.takenAt,
    netns,
    readMs: inspection.stats.totalMs,
    states: parts.summary?.states ?? {},
    closeWait: parts.closeWait ? groupsWithFirstSeen(parts.closeWait, facts.netns ?? "", firstSeenOf) : [],
    timeWait: parts.timeWait ? destinations(parts.timeWait) : [],
    sysctls: facts.sysctlsKnown ? { ...facts.sysctls.values } : null,
    findings: findingsOf(parts, facts.source.kind === "netlink"),
  };
}
