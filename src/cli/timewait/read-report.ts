/**
 * @module Reads timewait's report: streamed from netlink into the grouping
 * when it can be, else built from whole sockets (/proc, --proc-root, a
 * capture, or netlink unusable here). Both give the same report.
 */
import {
  buildTimeWaitReport,
  reportFromGrouping,
  type TimeWaitReport,
} from "../../analysis/time-wait/report.js";
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import type { TimeWaitSettings } from "../../analysis/time-wait/settings.js";
import { TimeWaitStream } from "../../analysis/time-wait/stream.js";
import type { CompiledFilter } from "../../filter/compile.js";
import type { Snapshot } from "../../model/snapshot.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";
import {
  type LiveRequest,
  type SnapshotHeader,
  takeLiveSnapshot,
  visitLivePasses,
} from "../../sources/live.js";
import { localPortRangeProgram, MAX_REMOTE_PORTS, type SocketCursor } from "../../sources/sock-diag.js";

const LISTEN_BIT = stateBit(TcpState.LISTEN);
const TIME_WAIT_BIT = stateBit(TcpState.TIME_WAIT);

/**
 * The report, streamed from netlink into the grouping when it can be (no
 * TcpSocket per socket: the listening ports in a first pass, then every
 * other socket through a reusable cursor, the filter evaluated on the cursor's
 * socket view); otherwise from a full snapshot (/proc, --proc-root, or netlink
 * unusable here). Both give the same report for the same sockets.
 */
export function readReport(
  req: Pick<LiveRequest, "proc" | "families" | "source">,
  filter: CompiledFilter,
  settings: TimeWaitSettings,
  windowSec: number,
): { header: SnapshotHeader; report: TimeWaitReport } {
  // A filter of states only that keeps time-wait (checked by the caller) keeps every TIME_WAIT socket.
  const matches = filter.statesOnly ? undefined : filter.matches;
  const stream = new TimeWaitStream<SocketCursor>(settings, matches && ((c) => matches(c.socket)));
  const add = (c: SocketCursor) => stream.add(c);
  // Sockets in other states only count when their local port is in the
  // range (grouping.ts ephemeral()), so the kernel drops the rest unreported.
  const [low, high] = settings.portRange;
  const header = visitLivePasses(req, [
    { statesMask: LISTEN_BIT, visit: add },
    { statesMask: TIME_WAIT_BIT, visit: add },
    {
      statesMask: PORT_HOLDING_STATES_MASK & ~LISTEN_BIT & ~TIME_WAIT_BIT,
      // Known once TIME_WAIT is grouped: they count only toward its outgoing
      // destinations, so the kernel keeps just those remote ports too (none: skip).
      bytecode: () => {
        const ports = stream.outgoingRemotePorts();
        if (ports.length === 0) return null;
        return localPortRangeProgram(low, high, ports.length <= MAX_REMOTE_PORTS ? ports : undefined);
      },
      visit: add,
    },
  ]);
  if (header) return { header, report: reportFromGrouping(stream.finish(), settings, windowSec) };
  const snapshot = takeLiveSnapshot({ ...req, statesMask: PORT_HOLDING_STATES_MASK, owners: false });
  return { header: snapshot, report: reportFromSnapshot(snapshot, filter, settings, windowSec) };
}

/** The report from whole sockets: /proc, --proc-root, a capture, or netlink unusable here. */
export function reportFromSnapshot(
  snapshot: Snapshot,
  filter: CompiledFilter,
  settings: TimeWaitSettings,
  windowSec: number,
): TimeWaitReport {
  return buildTimeWaitReport({
    sockets: snapshot.sockets,
    settings,
    windowSec,
    ...(filter.matchesAll ? {} : { matches: filter.matches }),
  });
}
