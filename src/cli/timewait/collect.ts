/**
 * @module timewait's report for the options of a command: the settings
 * (from this host's sysctls or a capture's), then the report from netlink,
 * /proc or the capture. Shared by `timewait` and `metrics`.
 */
import { settingsFromSysctls, TIME_WAIT_SYSCTLS } from "../../analysis/time-wait/settings.js";
import { overlongTimerWarning } from "../../analysis/time-wait/note.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import type { CompiledFilter } from "../../filter/compile.js";
import type { Snapshot } from "../../model/snapshot.js";
import type { SnapshotHeader } from "../../sources/live.js";
import { ProcFs } from "../../sources/procfs.js";
import { type CommonOptions, captureFor, families, sourceChoice, sysctlsFor } from "../common.js";
import { readReport, reportFromSnapshot } from "./read-report.js";

export interface CollectedTimeWait {
  header: SnapshotHeader;
  report: TimeWaitReport;
  /** About the settings (missing, unreadable); the header has the source's own. */
  warnings: string[];
}

/**
 * capture: one the caller has read already (metrics), so stdin is not read
 * twice; else --input is read here when given.
 */
export function collectTimeWait(
  filter: CompiledFilter,
  opts: CommonOptions,
  windowSec: number,
  read?: Snapshot,
): CollectedTimeWait {
  // A capture holds sockets of every state: the report picks TIME_WAIT itself.
  const capture = read ?? captureFor([], opts);
  const sysctls = sysctlsFor(opts, TIME_WAIT_SYSCTLS, capture);
  const { settings, warnings } = settingsFromSysctls(sysctls.values, capture ? "capture" : "host");
  for (const u of sysctls.unreadable) warnings.push(`cannot read ${u.name} (${u.code})`);
  const req = {
    proc: new ProcFs(opts.procRoot ?? "/proc"),
    families: families(opts),
    source: sourceChoice(opts.source),
  };
  const got = capture
    ? { header: capture, report: reportFromSnapshot(capture, filter, settings, windowSec) }
    : readReport(req, filter, settings, windowSec);
  if (got.report.overlongTimers) warnings.push(overlongTimerWarning(got.report.overlongTimers));
  return { ...got, warnings };
}
