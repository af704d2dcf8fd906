/**
 * @module CLOSE_WAIT per process (-p): the sockets it holds, per cause, the
 * age of its oldest one as far as this sockdoc has seen, and its open fds
 * against its limit (each held CLOSE_WAIT is an fd). The processes holding
 * most are kept (--top). Processes are labelled pid and comm for now; the
 * scope's labels (namespace, container) come first when a scope has them.
 */
import type { CloseWaitReport, ProcessReport } from "../../analysis/close-wait/report.js";
import { CAUSES, type Cause } from "../../analysis/close-wait/types.js";
import type { MetricFamily, Sample } from "../../render/prometheus.js";
import { capped, type Labels, leftOutFamily, perEntity } from "./entities.js";

export interface CloseWaitInput {
  report: CloseWaitReport;
  /** pid -> seconds since this sockdoc first saw the oldest CLOSE_WAIT socket the process holds. */
  oldestSeenSeconds: ReadonlyMap<number, number>;
}

interface Row {
  process: ProcessReport;
  causes: Map<Cause, number>;
  /** Held plus queued on its listeners: what orders the processes. */
  weight: number;
}

/**
 * Each group counts toward its subject: its owner, or (not accepted yet)
 * the process of the listener it waits on.
 */
function rows(report: CloseWaitReport): Row[] {
  const byPid = new Map<number, Row>();
  for (const p of report.processes) byPid.set(p.pid, { process: p, causes: new Map(), weight: 0 });
  for (const g of report.groups) {
    const pid = g.owner?.pid ?? g.listener?.ownerPid ?? null;
    const row = pid === null ? undefined : byPid.get(pid);
    if (!row) continue;
    row.causes.set(g.cause, (row.causes.get(g.cause) ?? 0) + g.count);
    row.weight += g.count;
  }
  return [...byPid.values()]
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.process.pid - b.process.pid);
}

export function closeWaitFamilies(input: CloseWaitInput, top: number, scope: Labels): MetricFamily[] {
  const { kept, leftOut } = capped(rows(input.report), top);
  const labels = (r: Row): Labels => ({ ...scope, pid: String(r.process.pid), comm: r.process.comm });
  const byCause: Sample[] = [];
  for (const r of kept) {
    for (const cause of CAUSES) {
      const n = r.causes.get(cause);
      if (n !== undefined) byCause.push({ labels: { ...labels(r), cause }, value: n });
    }
  }
  return [
    perEntity(
      "sockdoc_close_wait_process_sockets",
      "CLOSE_WAIT sockets a process holds (as open fds); they never time out.",
      kept,
      labels,
      (r) => r.process.closeWait,
    ),
    {
      name: "sockdoc_close_wait_process_cause_sockets",
      help:
        "CLOSE_WAIT sockets of a process per cause: eof-not-closed, fin-unread, data-unread, " +
        "not-accepted (still in the accept queue of the process's listener: no fd yet).",
      type: "gauge",
      samples: byCause,
    },
    perEntity(
      "sockdoc_close_wait_process_oldest_seen_seconds",
      "Age of the process's oldest CLOSE_WAIT socket counted from when this sockdoc first saw it " +
        "(the kernel keeps no creation time): a lower bound, 0 at first sight, reset when sockdoc restarts.",
      kept,
      labels,
      (r) => input.oldestSeenSeconds.get(r.process.pid) ?? null,
    ),
    perEntity(
      "sockdoc_close_wait_process_open_fds",
      "Open file descriptors of a process holding CLOSE_WAIT sockets.",
      kept,
      labels,
      (r) => r.process.fdCount,
    ),
    perEntity(
      "sockdoc_close_wait_process_max_fds",
      "Open-files limit (soft RLIMIT_NOFILE) of a process holding CLOSE_WAIT sockets; absent when unlimited or unreadable.",
      kept,
      labels,
      (r) => r.process.fdLimit,
    ),
    leftOutFamily(
      "sockdoc_close_wait_processes_left_out",
      "Processes with CLOSE_WAIT sockets",
      leftOut,
      scope,
    ),
  ];
}
