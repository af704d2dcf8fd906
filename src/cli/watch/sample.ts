/**
 * @module One namespace's inspection as the store's sample: per-state
 * counts, CLOSE_WAIT groups with the first sight of their oldest socket,
 * TIME_WAIT destinations, the sysctls read. Pure (the inspection is data).
 */
import { causeOf } from "../../analysis/close-wait/cause.js";
import type { ReportGroup } from "../../analysis/close-wait/report.js";
import { holderOf, socketKey } from "../../analysis/close-wait/tracker.js";
import type { Summary } from "../../analysis/summary.js";
import type { GroupEnd } from "../../analysis/time-wait/grouping.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import type { CloseWaitResult } from "../../inspect/analyses/close-wait.js";
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
  };
}
