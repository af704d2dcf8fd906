/**
 * @module `sockdoc ls [FILTER]`: one row per socket, like `ss -tan`.
 */
import { Command } from "commander";
import { compileFilter } from "../../filter/compile.js";
import { socketRowsAnalysis } from "../../inspect/analyses/socket-rows.js";
import { socketsAnalysis } from "../../inspect/analyses/sockets.js";
import type { Scope } from "../../inspect/scope.js";
import type { CompiledFilter } from "../../filter/compile.js";
import { CompactTable } from "../../render/compact-table.js";
import { headerOf } from "../../inspect/header.js";
import { netnsOf, resultOf, resultOrNull } from "../../inspect/inspect.js";
import { envelope } from "../../render/envelope.js";
import {
  emitJsonWithArray,
  emitTableOrCsv,
  streamNdjson,
  terminalWidth,
  writeChunks,
} from "../../render/output.js";
import { socketToJson } from "../../render/socket-json.js";
import {
  formatOwners,
  type NamespacedSocket,
  namespacedColumns,
  socketColumns,
} from "../../report/socket-columns.js";
import {
  addOutputOptions,
  addSourceOptions,
  beyondStates,
  type CommonOptions,
  inspectAllAndWarn,
  inspectAndWarn,
  outputFormat,
  scopesFor,
  warnNoOwners,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";

interface LsOptions extends CommonOptions {
  processes?: boolean;
  timers?: boolean;
}

/**
 * A table or CSV keeps each socket only as its printed row (200k records
 * cost more than their rows); owners fill their column after the fd walk.
 */
async function printRows(scope: Scope, format: "table" | "csv", filter: CompiledFilter, opts: LsOptions) {
  const owners = Boolean(opts.processes);
  const columns = socketColumns({ timers: Boolean(opts.timers) });
  const table = new CompactTable(columns);
  const analysis = socketRowsAnalysis({
    statesMask: filter.mask,
    matches: beyondStates(filter),
    owners,
    sink: (socket) => table.add(columns.map((c) => c.value(socket))),
  });
  const inspection = await inspectAndWarn(scope, [analysis]);
  warnNoOwners(inspection, owners);
  const rowOwners = resultOf(inspection, analysis);
  if (rowOwners) {
    const column = socketColumns({ processes: true }).at(-1)!;
    table.addColumn(column, (row) =>
      formatOwners({ owners: rowOwners.ownersOf(row), inode: rowOwners.inodeOf(row) }),
    );
  }
  await writeChunks(format === "csv" ? table.csvChunks() : table.tableChunks(terminalWidth()));
}

export function lsCommand(): Command {
  const cmd = new Command("ls")
    .summary("list TCP sockets, one row each (like ss -tan)")
    .description(
      "List TCP sockets that match FILTER, one row each, like `ss -tan` but with owners and timers on request.\n" +
        "Without a filter every socket is listed.",
    )
    .argument("[filter...]", "ss-style filter, e.g. state close-wait dport = :443")
    .option("-p, --processes", "show the owning process (pid, name, fd)")
    .option("-o, --timers", "show timer kind, time left and retransmits");
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", FILTER_HELP);
  return cmd.action(async (words: string[], opts: LsOptions) => {
    const format = outputFormat(opts);
    const filter = compileFilter(words);
    const owners = Boolean(opts.processes);
    const analysis = socketsAnalysis({ statesMask: filter.mask, matches: beyondStates(filter), owners });
    const { scopes, namespaced } = scopesFor(opts);
    if (namespaced) {
      const inspections = await inspectAllAndWarn(scopes, () => [analysis]);
      const rows: NamespacedSocket[] = inspections.flatMap((i) =>
        (resultOrNull(i, analysis) ?? []).map((socket) => ({ socket, netns: netnsOf(i)! })),
      );
      const toJson = (r: NamespacedSocket) => ({ ...socketToJson(r.socket), netns: r.netns });
      if (format === "json") {
        const head = { ...envelope("ls", headerOf(inspections[0]!)), total: rows.length };
        await emitJsonWithArray(head, "sockets", rows, toJson);
      } else if (format === "ndjson") await streamNdjson(rows, toJson);
      else await emitTableOrCsv(format, rows, namespacedColumns(opts));
      return;
    }
    if (format === "table" || format === "csv") {
      await printRows(scopes[0]!, format, filter, opts);
      return;
    }
    const inspection = await inspectAndWarn(scopes[0]!, [analysis]);
    warnNoOwners(inspection, owners);
    const sockets = resultOf(inspection, analysis);
    if (format === "json") {
      const head = { ...envelope("ls", headerOf(inspection)), total: sockets.length };
      await emitJsonWithArray(head, "sockets", sockets, socketToJson);
    } else {
      await streamNdjson(sockets, socketToJson);
    }
  });
}
