/**
 * @module The CLOSE_WAIT report: groups (who, where, why), the owning
 * processes with their threads and open-files headroom, growth across
 * samples, severity and ranked remedies. Pure: every fact comes in as data.
 */
import type { TcpSocket } from "../../model/socket.js";
import { TcpState } from "../../model/tcp-state.js";
import { CAUSE_TEXT } from "./cause.js";
import { type GroupOptions, groupCloseWait } from "./grouping.js";
import { type Growth, growthOf } from "./growth.js";
import { type Hint, hintFor } from "./hints.js";
import { type Remedy, remediesFor } from "./remedies.js";
import { type Runtime, recognizeRuntime } from "./runtime.js";
import { gradeGroup, maxSeverity, type Severity, severityRank } from "./severity.js";
import { summarizeThreads, type ThreadSummary } from "./threads.js";
import type { CloseWaitTracker } from "./tracker.js";
import type { CloseWaitGroup, ProcessFacts } from "./types.js";

export interface ReportGroup extends CloseWaitGroup {
  severity: Severity;
  reasons: string[];
  /** The cause in plain words. */
  why: string;
  /** Runtime hint when the program is recognised, else where to look in any code. */
  hint: string;
  runtime: Runtime | null;
  /** Growth of this group's holder (its owning process, or the accept queue). */
  growth: Growth | null;
  remedies: Remedy[];
}

export interface ProcessReport {
  pid: number;
  comm: string;
  cmdline: string | null;
  user: string | null;
  uid: number | null;
  unit: string | null;
  container: string | null;
  runtime: Runtime | null;
  closeWait: number;
  fdCount: number | null;
  fdLimit: number | null;
  threads: ThreadSummary | null;
  growth: Growth | null;
}

export interface CloseWaitReport {
  total: number;
  severity: Severity | "none";
  groups: ReportGroup[];
  processes: ProcessReport[];
}

export interface ReportInput extends GroupOptions {
  /** CLOSE_WAIT sockets plus the LISTEN sockets on their ports. */
  sockets: readonly TcpSocket[];
  facts: ReadonlyMap<number, ProcessFacts>;
  tracker?: CloseWaitTracker | null;
  now: number;
  /** pid -> whether its executable carries Go build information. */
  goBinaries?: ReadonlySet<number>;
}

/** Growth needs at least two samples; one sample says nothing about age or rate. */
function watched(input: ReportInput): boolean {
  return (input.tracker?.sampleCount ?? 0) >= 2;
}

function holderKey(g: CloseWaitGroup): string {
  if (g.owner) return `pid:${g.owner.pid}`;
  return g.cause === "not-accepted" && g.localPort !== null ? `queue:${g.localPort}` : "unknown";
}

/** The process a group is about: its owner, or for queued connections the listener's process. */
function subjectPid(g: CloseWaitGroup): number | null {
  return g.owner?.pid ?? g.listener?.ownerPid ?? null;
}

function fdOf(f: ProcessFacts | undefined): { count: number | null; limit: number | null } | null {
  return f ? { count: f.fdCount, limit: f.fdLimit } : null;
}

function processReport(
  pid: number,
  f: ProcessFacts | undefined,
  comm: string,
  input: ReportInput,
): ProcessReport {
  const cmdline = f?.cmdline ?? null;
  const name = f?.comm ?? comm;
  const h = watched(input) ? input.tracker?.get(`pid:${pid}`) : undefined;
  return {
    pid,
    comm: name,
    cmdline,
    user: f?.user ?? null,
    uid: f?.uid ?? null,
    unit: f?.unit ?? null,
    container: f?.container ?? null,
    runtime: recognizeRuntime({ comm: name, cmdline, goBinary: input.goBinaries?.has(pid) ?? false }),
    closeWait: 0,
    fdCount: f?.fdCount ?? null,
    fdLimit: f?.fdLimit ?? null,
    threads: f?.threads ? summarizeThreads(f.threads) : null,
    growth: h ? growthOf(h, input.now, fdOf(f)) : null,
  };
}

export function buildReport(input: ReportInput): CloseWaitReport {
  const base = groupCloseWait(input.sockets, input);
  const processes = new Map<number, ProcessReport>();
  for (const g of base) {
    const pid = subjectPid(g);
    if (pid === null) continue;
    const comm = g.owner?.comm ?? g.listener?.ownerComm ?? "?";
    let p = processes.get(pid);
    if (!p) {
      p = processReport(pid, input.facts.get(pid), comm, input);
      processes.set(pid, p);
    }
    if (g.owner) p.closeWait += g.count;
  }
  const groups = base.map((g): ReportGroup => {
    const pid = subjectPid(g);
    const p = pid === null ? undefined : processes.get(pid);
    const f = pid === null ? undefined : input.facts.get(pid);
    if (g.owner && p) {
      g.owner = {
        pid: p.pid,
        comm: p.comm,
        cmdline: p.cmdline,
        user: p.user,
        unit: p.unit ?? (p.container ? `container:${p.container}` : null),
        uid: p.uid ?? g.owner.uid,
      };
    }
    const h = watched(input) ? input.tracker?.get(holderKey(g)) : undefined;
    const growth = h ? growthOf(h, input.now, g.owner ? fdOf(f) : null) : null;
    const graded = gradeGroup(g, growth, g.owner ? fdOf(f) : null);
    const hint: Hint = hintFor(p?.runtime ?? null, g.cause);
    const why = CAUSE_TEXT[g.cause].why;
    const overlapping = base.filter(
      (o) =>
        o !== g && o.direction === g.direction && (o.localPort ?? o.peerPort) === (g.localPort ?? g.peerPort),
    ).length;
    const remedies = remediesFor(g, {
      evidence: `${why} ${hint.text}`,
      unit: p?.unit ?? null,
      container: p?.container ?? null,
      overlapping,
      severity: graded.severity,
    });
    return { ...g, ...graded, why, hint: hint.text, runtime: hint.runtime, growth, remedies };
  });
  return {
    total: input.sockets.filter((s) => s.state === TcpState.CLOSE_WAIT).length,
    severity: maxSeverity(groups.map((g) => g.severity)),
    // Worst first; within a severity the grouping's order (largest first) is kept.
    groups: groups.sort((a, b) => severityRank(b.severity) - severityRank(a.severity)),
    processes: [...processes.values()].sort((a, b) => b.closeWait - a.closeWait || a.pid - b.pid),
  };
}
