/**
 * @module `sockdoc` with no command: a diagnosis of this host. The CLOSE_WAIT
 * findings lead when there are any (same code path as `sockdoc closewait`),
 * then the CLOSE_WAIT / TIME_WAIT headline and the state summary.
 */
import { Command } from "commander";
import { summarize } from "../../analysis/summary.js";
import {
  buildTimeWaitReport,
  type Destination,
  type TimeWaitReport,
} from "../../analysis/time-wait/report.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { settingsFromSysctls, TIME_WAIT_SYSCTLS } from "../../analysis/time-wait/settings.js";
import type { Snapshot } from "../../model/snapshot.js";
import { UsageError } from "../../model/errors.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, terminalWidth } from "../../render/output.js";
import { renderTable } from "../../render/table.js";
import { reportFor } from "../closewait/analyze.js";
import { collectSample } from "../closewait/collect.js";
import { groupJson } from "../closewait/json.js";
import { closeWaitText } from "../closewait/text.js";
import { wrap } from "../closewait/wrap.js";
import {
  addOutputOptions,
  addSourceOptions,
  capturedFrom,
  type CommonOptions,
  outputFormat,
  printWarnings,
  snapshotFor,
  sysctlsFor,
} from "../common.js";
import { summaryLines } from "./summary.js";

/**
 * The worst TIME_WAIT destination when it deserves a warning: ports running
 * out toward one destination is what makes TIME_WAIT hurt.
 */
function timeWaitFinding(
  snapshot: Snapshot,
  opts: CommonOptions,
): { report: TimeWaitReport; line: string | null } {
  const sysctls = sysctlsFor(opts, TIME_WAIT_SYSCTLS, snapshot.source.kind === "capture" ? snapshot : null);
  const { settings } = settingsFromSysctls(sysctls.values);
  const report = buildTimeWaitReport({ sockets: snapshot.sockets, settings, windowSec: 10 });
  const worst = report.destinations.find((d) => d.severity === report.severity);
  const flagged = report.severity !== "info" && worst !== undefined;
  return {
    report,
    line: flagged
      ? `TIME_WAIT ${report.severity.toUpperCase()} toward ${destinationName(worst)}: ${worst.note} See \`sockdoc timewait\`.`
      : null,
  };
}

function destinationName(d: Destination): string {
  return d.remote.port === null
    ? d.remote.address
    : formatEndpoint({ address: d.remote.address, port: d.remote.port });
}

export function headline(states: Record<string, number>): string[] {
  const closeWait = states.CLOSE_WAIT ?? 0;
  const timeWait = states.TIME_WAIT ?? 0;
  const lines: string[] = [];
  lines.push(
    closeWait === 0
      ? "CLOSE_WAIT: none. No application is sitting on connections its peers closed."
      : `CLOSE_WAIT: ${closeWait} socket${closeWait === 1 ? "" : "s"} whose peer closed but the application has not called close(). ` +
          "They never time out; see `sockdoc closewait`.",
  );
  lines.push(
    timeWait === 0
      ? "TIME_WAIT: none."
      : `TIME_WAIT: ${timeWait} socket${timeWait === 1 ? "" : "s"}; each holds its 4-tuple for 60 s after this host closed first.`,
  );
  return lines;
}

export function diagnoseCommand(): Command {
  const cmd = new Command("diagnose")
    .summary("diagnose this host (the default command)")
    .description(
      "Diagnose this host: socket counts per state and what the CLOSE_WAIT and TIME_WAIT\n" +
        "sockets mean here. This is what `sockdoc` with no command runs.",
    );
  // Words that are not a command end up here, as sockdoc's default command.
  cmd.argument("[command]", "(none: diagnose is the default)");
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  return cmd.action((extra: string | undefined, opts: CommonOptions) => {
    if (extra !== undefined)
      throw new UsageError(`unknown command "${extra}"; run sockdoc --help for the list`);
    const format = outputFormat(opts);
    const snapshot = snapshotFor([], opts, false);
    const summary = summarize(snapshot.sockets, 5, false);
    const lines = headline(summary.states);
    const timeWait = (summary.states.TIME_WAIT ?? 0) > 0 ? timeWaitFinding(snapshot, opts) : null;
    if (timeWait?.line) lines.push(timeWait.line);
    // CLOSE_WAIT never ends by itself, so when there is any it leads the report.
    const cw =
      (summary.states.CLOSE_WAIT ?? 0) > 0
        ? collectSample([], opts, snapshot.source.kind === "capture" ? snapshot : undefined)
        : null;
    if (cw) printWarnings(cw.snapshot.warnings.filter((w) => !snapshot.warnings.includes(w)));
    const closeWait = cw ? reportFor(cw, null) : null;
    if (format === "json") {
      const findings = {
        total: closeWait?.total ?? 0,
        severity: closeWait?.severity ?? "none",
        groups: closeWait?.groups.map(groupJson) ?? [],
        processes: closeWait?.processes ?? [],
      };
      const tw = timeWait?.report;
      const timeWaitJson = {
        total: tw?.total ?? 0,
        severity: tw?.severity ?? "none",
        worst: tw?.destinations.find((d) => d.severity === tw.severity) ?? null,
      };
      emitJson({
        ...envelope("diagnose", snapshot),
        closeWait: findings,
        timeWait: timeWaitJson,
        summary,
        headline: lines,
      });
      return;
    }
    const table = renderTable(summaryLines(summary), [
      { header: "What", value: (l) => l.what },
      { header: "Count", value: (l) => l.count, align: "right" },
    ]);
    const lead =
      closeWait && closeWait.total > 0
        ? `${closeWaitText(closeWait, terminalWidth(), capturedFrom(snapshot))}\n\n`
        : "";
    const width = terminalWidth() || 80;
    const wrapped = lines.flatMap((l) => wrap(l, width, "", "  "));
    emit(`${lead}${wrapped.join("\n")}\n\n${table}`);
  });
}
