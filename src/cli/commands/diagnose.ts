/**
 * @module `sockdoc` with no command: a diagnosis of this host. The CLOSE_WAIT
 * findings lead when there are any (same code path as `sockdoc closewait`),
 * then the CLOSE_WAIT / TIME_WAIT headline and the state summary.
 */
import { Command } from "commander";
import { closeWaitAnalysis } from "../../inspect/analyses/close-wait.js";
import { summaryAnalysis } from "../../inspect/analyses/summary.js";
import { timeWaitAnalysis } from "../../inspect/analyses/time-wait.js";
import { headerOf } from "../../inspect/header.js";
import { namespaceCounts, netnsOf, resultOf, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import type { TimeWaitReport } from "../../analysis/time-wait/report.js";
import { severityRank } from "../../model/severity.js";
import type { NetnsRef } from "../../model/netns.js";
import {
  combined,
  namespaceParts,
  namespacesJson,
  namespacesText,
} from "../../report/close-wait/namespaces.js";
import { netnsLabel } from "../../report/netns.js";
import { UsageError } from "../../model/errors.js";
import { ALL_STATES_MASK } from "../../model/tcp-state.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, terminalWidth } from "../../render/output.js";
import { renderTable } from "../../render/table.js";
import { groupJson } from "../../report/close-wait/json.js";
import { closeWaitText } from "../../report/close-wait/text.js";
import { headline, timeWaitFindingLine } from "../../report/diagnose.js";
import { namespaceSummaryLines, SUMMARY_COLUMNS, summaryLines } from "../../report/summary.js";
import { wrap } from "../../report/wrap.js";
import {
  addOutputOptions,
  addSourceOptions,
  capturedFrom,
  type CommonOptions,
  inspectAllAndWarn,
  inspectAndWarn,
  outputFormat,
  scopesFor,
} from "../common.js";

/**
 * The diagnosis of every namespace asked for: CLOSE_WAIT ranked across them
 * (each under its namespace and container), the worst TIME_WAIT destination
 * of any (each namespace has its own ports and settings), the host-wide
 * counts and one line per namespace.
 */
async function diagnoseNamespaces(scopes: Scope[], format: string): Promise<void> {
  const each = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
  const all = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false, acrossScopes: true });
  const timeWaitOf = timeWaitAnalysis({ windowSec: 10 });
  const closeWaitOf = closeWaitAnalysis({ threads: true });
  const round = await inspectAllAndWarn(scopes, () => [each, all, timeWaitOf, closeWaitOf]);
  const summary = resultOf(round[0]!, all);
  const lines = headline(summary.states);
  const parts = namespaceParts(round, (i) => resultOrNull(i, closeWaitOf)?.report ?? null);
  // The worst TIME_WAIT destination of any namespace, named with its namespace.
  let worst: { report: TimeWaitReport; netns: NetnsRef } | null = null;
  for (const i of round) {
    const report = resultOrNull(i, timeWaitOf)?.report;
    const netns = netnsOf(i);
    if (!report || !netns || report.severity === "info") continue;
    if (!worst || severityRank(report.severity) > severityRank(worst.report.severity))
      worst = { report, netns };
  }
  const finding = worst ? timeWaitFindingLine(worst.report) : null;
  if (finding && worst)
    lines.push(
      `${finding.replace(/ See `sockdoc timewait`\.$/, "")} (namespace ${netnsLabel(worst.netns)}) See \`sockdoc timewait --all-netns\`.`,
    );
  const namespaces = namespaceCounts(round, each);
  if (format === "json") {
    emitJson({
      ...envelope("diagnose", headerOf(round[0]!)),
      closeWait: namespacesJson(parts),
      timeWait: worst
        ? {
            severity: worst.report.severity,
            netns: worst.netns,
            worst: worst.report.destinations.find((d) => d.severity === worst.report.severity) ?? null,
          }
        : { severity: "none", netns: null, worst: null },
      summary,
      namespaces,
      headline: lines,
    });
    return;
  }
  const width = terminalWidth() || 80;
  const lead = combined(parts).total > 0 ? `${namespacesText(parts, round.length, width)}\n\n` : "";
  const table = renderTable(namespaceSummaryLines(summary, namespaces), SUMMARY_COLUMNS, width);
  emit(`${lead}${lines.flatMap((l) => wrap(l, width, "", "  ")).join("\n")}\n\n${table}`);
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
  return cmd.action(async (extra: string | undefined, opts: CommonOptions) => {
    if (extra !== undefined)
      throw new UsageError(`unknown command "${extra}"; run sockdoc --help for the list`);
    const format = outputFormat(opts);
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false });
    const timeWaitOf = timeWaitAnalysis({ windowSec: 10 });
    const closeWaitOf = closeWaitAnalysis({ threads: true });
    const { scopes, namespaced } = scopesFor(opts);
    if (namespaced) {
      await diagnoseNamespaces(scopes, format);
      return;
    }
    const inspection = await inspectAndWarn(scopes[0]!, [summaryOf, timeWaitOf, closeWaitOf]);
    const summary = resultOf(inspection, summaryOf);
    const lines = headline(summary.states);
    const timeWait = (summary.states.TIME_WAIT ?? 0) > 0 ? resultOf(inspection, timeWaitOf).report : null;
    const finding = timeWait ? timeWaitFindingLine(timeWait) : null;
    if (finding) lines.push(finding);
    // CLOSE_WAIT never ends by itself, so when there is any it leads the report.
    const closeWait = (summary.states.CLOSE_WAIT ?? 0) > 0 ? resultOf(inspection, closeWaitOf).report : null;
    const header = headerOf(inspection);
    if (format === "json") {
      const findings = {
        total: closeWait?.total ?? 0,
        severity: closeWait?.severity ?? "none",
        groups: closeWait?.groups.map(groupJson) ?? [],
        processes: closeWait?.processes ?? [],
      };
      const timeWaitJson = {
        total: timeWait?.total ?? 0,
        severity: timeWait?.severity ?? "none",
        worst: timeWait?.destinations.find((d) => d.severity === timeWait.severity) ?? null,
      };
      emitJson({
        ...envelope("diagnose", header),
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
        ? `${closeWaitText(closeWait, terminalWidth(), capturedFrom(inspection))}\n\n`
        : "";
    const width = terminalWidth() || 80;
    const wrapped = lines.flatMap((l) => wrap(l, width, "", "  "));
    emit(`${lead}${wrapped.join("\n")}\n\n${table}`);
  });
}
