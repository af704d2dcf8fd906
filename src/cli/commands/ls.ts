/**
 * @module `sockdoc ls [FILTER]`: one row per socket, like `ss -tan`.
 */
import { Command } from "commander";
import { envelope } from "../../render/envelope.js";
import { emitJsonWithArray, emitTableOrCsv, streamNdjson } from "../../render/output.js";
import { socketToJson } from "../../render/socket-json.js";
import {
  addOutputOptions,
  addSourceOptions,
  type CommonOptions,
  outputFormat,
  snapshotFor,
  warnNoOwners,
} from "../common.js";
import { FILTER_HELP } from "../help-text.js";
import { streamLsRows } from "../ls-stream.js";
import { socketColumns } from "../socket-columns.js";

interface LsOptions extends CommonOptions {
  processes?: boolean;
  timers?: boolean;
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
    // Tables and CSV of the live host go row by row from the netlink stream (memory).
    if ((format === "table" || format === "csv") && (await streamLsRows(words, opts, format))) return;
    const snapshot = snapshotFor(words, opts, Boolean(opts.processes));
    warnNoOwners(snapshot, Boolean(opts.processes));
    if (format === "json") {
      const head = { ...envelope("ls", snapshot), total: snapshot.sockets.length };
      await emitJsonWithArray(head, "sockets", snapshot.sockets, socketToJson);
    } else if (format === "ndjson") {
      await streamNdjson(snapshot.sockets, socketToJson);
    } else {
      await emitTableOrCsv(format, snapshot.sockets, socketColumns(opts));
    }
  });
}
