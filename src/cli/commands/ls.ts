/**
 * @module `sockdoc ls [FILTER]`: one row per socket, like `ss -tan`.
 */
import { Command } from "commander";
import { compileFilter } from "../../filter/compile.js";
import { socketRowsAnalysis } from "../../inspect/analyses/socket-rows.js";
import { socketsAnalysis } from "../../inspect/analyses/sockets.js";
import type { Scope } from "../../inspect/scope.js";
import type { TcpSocket } from "../../model/socket.js";
import type { SocketCursor } from "../../sources/sock-diag.js";
import type { CompiledFilter } from "../../filter/compile.js";
import { CompactTable } from "../../render/compact-table.js";
import { PackedSockets } from "../../inspect/packed-sockets.js";
import { csvRowChunks } from "../../render/csv.js";
import { headerOf } from "../../inspect/header.js";
import { netnsOf, resultOf, resultOrNull } from "../../inspect/inspect.js";
import { envelope } from "../../render/envelope.js";
import {
  emitJsonWithArray,
  emitTableOrCsv,
  jsonArrayDocument,
  streamNdjson,
  terminalWidth,
  writeChunks,
} from "../../render/output.js";
import { socketJsonText, socketToJson } from "../../render/socket-json.js";
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
 * Reads the sockets into sink, keeping none of them (a printed row, or
 * packed columns); owners, with -p, come per row after the fd walk.
 */
async function readRows(
  scope: Scope,
  filter: CompiledFilter,
  opts: LsOptions,
  sink: (socket: TcpSocket, cursor: SocketCursor) => void,
) {
  const owners = Boolean(opts.processes);
  const analysis = socketRowsAnalysis({
    statesMask: filter.mask,
    matches: beyondStates(filter),
    owners,
    sink,
  });
  const inspection = await inspectAndWarn(scope, [analysis]);
  warnNoOwners(inspection, owners);
  return { rowOwners: resultOf(inspection, analysis), inspection };
}

/** A table keeps each socket only as its printed row (200k records cost more than their rows). */
async function printTable(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const columns = socketColumns({ timers: Boolean(opts.timers) });
  const table = new CompactTable(columns);
  const { rowOwners } = await readRows(scope, filter, opts, (socket) =>
    table.add(columns.map((c) => c.value(socket))),
  );
  if (rowOwners) {
    const column = socketColumns({ processes: true }).at(-1)!;
    table.addColumn(column, (row) =>
      formatOwners({ owners: rowOwners.ownersOf(row), inode: rowOwners.inodeOf(row) }),
    );
  }
  await writeChunks(table.tableChunks(terminalWidth()));
}

/**
 * JSON (piped) and CSV keep the sockets in typed columns (PackedSockets) and
 * format them as they are written, owners put in after the fd walk; the
 * bytes are what the records would give.
 */
async function readPacked(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const packed = new PackedSockets();
  const { rowOwners, inspection } = await readRows(scope, filter, opts, (_socket, cursor) =>
    packed.add(cursor),
  );
  const socketAt = (i: number): TcpSocket => {
    const socket = packed.get(i);
    return rowOwners ? { ...socket, owners: rowOwners.ownersOf(i) } : socket;
  };
  return { count: packed.count, socketAt, inspection };
}

async function printPackedJson(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const { count, socketAt, inspection } = await readPacked(scope, filter, opts);
  const head = { ...envelope("ls", headerOf(inspection)), total: count };
  const itemsText = (start: number, end: number) => {
    const items: string[] = [];
    for (let i = start; i < end; i++) items.push(socketJsonText(socketAt(i)));
    return items.join(",");
  };
  await writeChunks(jsonArrayDocument(head, "sockets", count, itemsText));
}

async function printPackedCsv(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const { count, socketAt } = await readPacked(scope, filter, opts);
  await writeChunks(csvRowChunks(count, socketAt, socketColumns(opts)));
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
    if (format === "table") return printTable(scopes[0]!, filter, opts);
    if (format === "csv") return printPackedCsv(scopes[0]!, filter, opts);
    // Piped JSON (a script, 200k sockets); on a terminal it is indented, from records.
    if (format === "json" && !process.stdout.isTTY) return printPackedJson(scopes[0]!, filter, opts);
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
