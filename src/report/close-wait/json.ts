/**
 * @module The JSON form of the CLOSE_WAIT report (`sockdoc closewait --json`):
 * the envelope, then the names first in each group (owner,
 * localPort, count, recvQ, cause, fds, hint) and what sockdoc adds after them.
 */
import type { CloseWaitReport, ProcessReport, ReportGroup } from "../../analysis/close-wait/report.js";
import type { Direction } from "../../model/direction.js";
import type { Snapshot } from "../../model/snapshot.js";

type Header = Omit<Snapshot, "sockets">;
import { envelope } from "../../render/envelope.js";

export interface Sampling {
  samples: number;
  intervalSeconds: number;
  windowSeconds: number;
}

export function groupJson(g: ReportGroup) {
  return {
    owner: g.owner
      ? {
          pid: g.owner.pid,
          comm: g.owner.comm,
          cmdline: g.owner.cmdline,
          user: g.owner.user,
          unit: g.owner.unit,
        }
      : null,
    localPort: g.localPort,
    count: g.count,
    recvQ: g.recvQ,
    cause: g.cause,
    fds: g.fds,
    hint: g.hint,
    ownerNote: g.ownerNote,
    uid: g.owner?.uid ?? null,
    sharedWith: g.sharedWith,
    direction: v1DirectionWord(g.direction),
    peerPort: g.peerPort,
    // Only for a capture's service names without a number: numeric JSON is unchanged.
    ...(g.portService !== undefined ? { portService: g.portService } : {}),
    peers: g.peers,
    why: g.why,
    runtime: g.runtime,
    listener: g.listener,
    severity: g.severity,
    reasons: g.reasons,
    growth: g.growth,
    remedies: g.remedies,
  };
}

export function processJson(p: ProcessReport) {
  return { ...p };
}

export function closeWaitJson(
  snapshot: Header,
  report: CloseWaitReport,
  extra: { failOn: string | null; sampling: Sampling | null; warnings?: string[] },
) {
  return {
    ...envelope("closewait", snapshot, extra.warnings ?? []),
    total: report.total,
    severity: report.severity,
    failOn: extra.failOn,
    sampling: extra.sampling,
    groups: report.groups.map(groupJson),
    processes: report.processes.map(processJson),
  };
}

/**
 * The v1 CLOSE_WAIT JSON and CSV said inbound/outbound before the analyses
 * shared one Direction (incoming/outgoing, as the TIME_WAIT report says);
 * scripts read these words, so v1 keeps them. A v2 schema drops this map.
 */
export function v1DirectionWord(d: Direction): "inbound" | "outbound" {
  return d === "incoming" ? "inbound" : "outbound";
}
