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
import { PackedSockets } from "../../inspect/packed-sockets.js";
import { csvField } from "../../render/csv.js";
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
 * A table or CSV keeps each socket only as its printed row (200k records
 * cost more than their rows); owners fill their column after the fd walk.
 */
async function printRows(scope: Scope, format: "table" | "csv", filter: CompiledFilter, opts: LsOptions) {
  if (format === "csv") {
    await printPackedCsv(scope, filter, opts);
    return;
  }
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
  await writeChunks(table.tableChunks(terminalWidth()));
}

/**
 * `ls --json` piped: each socket kept in typed columns (PackedSockets), its
 * owners put in after the fd walk, the JSON made a chunk of sockets at a time
 * as it is written; the bytes are what the records would give.
 */
async function readPacked(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const owners = Boolean(opts.processes);
  const packed = new PackedSockets();
  const analysis = socketRowsAnalysis({
    statesMask: filter.mask,
    matches: beyondStates(filter),
    owners,
    sink: (_socket, cursor) => packed.add(cursor),
  });
  const inspection = await inspectAndWarn(scope, [analysis]);
  warnNoOwners(inspection, owners);
  return { packed, rowOwners: resultOf(inspection, analysis), inspection };
}

async function printJsonRows(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const { packed, rowOwners, inspection } = await readPacked(scope, filter, opts);
  const head = { ...envelope("ls", headerOf(inspection)), total: packed.count };
  const socketAt = (i: number) => {
    const socket = packed.get(i);
    return rowOwners ? { ...socket, owners: rowOwners.ownersOf(i) } : socket;
  };
  await writeChunks(packedDocument(head, packed.count, (i) => socketJsonText(socketAt(i))));
}

/** CSV needs no widths: the sockets are kept packed and formatted as they are written. */
async function printPackedCsv(scope: Scope, filter: CompiledFilter, opts: LsOptions) {
  const { packed, rowOwners } = await readPacked(scope, filter, opts);
  const columns = socketColumns(opts);
  const socketAt = (i: number) => {
    const socket = packed.get(i);
    return rowOwners ? { ...socket, owners: rowOwners.ownersOf(i) } : socket;
  };
  function* chunks(): Generator<string> {
    let chunk = `${columns.map((c) => csvField(c.header)).join(",")}\n`;
    for (let start = 0; start < packed.count; start += 2000) {
      for (let i = start; i < Math.min(packed.count, start + 2000); i++) {
        const s = socketAt(i);
        chunk += `${columns.map((c) => csvField(String(c.value(s)))).join(",")}\n`;
      }
      yield chunk;
      chunk = "";
    }
    if (chunk !== "") yield chunk;
  }
  await writeChunks(chunks());
}

/** `{...head, sockets: [...]}` as JSON.stringify prints it compact, 2000 sockets (their JSON texts) a chunk. */
function* packedDocument(head: Record<string, unknown>, count: number, at: (i: number) => string) {
  const open = JSON.stringify({ ...head, sockets: [] });
  yield open.slice(0, -2); // ends with the array's "["
  for (let start = 0; start < count; start += 2000) {
    const items: string[] = [];
    for (let i = start; i < Math.min(count, start + 2000); i++) items.push(at(i));
    yield start === 0 ? items.join(",") : `,${items.join(",")}`;
  }
  yield "]}\n";
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
    // Piped JSON (a script, 200k sockets): each socket kept as its JSON text only.
    if (format === "json" && !process.stdout.isTTY) {
      await printJsonRows(scopes[0]!, filter, opts);
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
