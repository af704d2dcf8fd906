/**
 * @module The options and text of `sockdoc tune apply` apart from its
 * flow: --persist's file, the table-or-JSON format choice (shared with
 * rollback), and the dry run's plan.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { DEFAULT_PERSIST_FILE } from "../../actions/tune/persist-text.js";
import type { ChangeResult } from "../../actions/tune/types.js";
import { UsageError } from "../../model/errors.js";
import { type CommonOptions, outputFormat } from "../common.js";
import { changeTable, hostWideLines } from "./change-text.js";
import type { FileChange } from "./run-batch.js";
import { isRoot, para, rerun } from "./text.js";

/** --persist's file, absolute: the journal must name the same file whatever directory rollback runs in. */
export function persistFile(value: string | true | undefined): string | null {
  if (value === undefined) return null;
  if (value === true) return DEFAULT_PERSIST_FILE;
  if (value.includes("=")) {
    throw new UsageError(
      `--persist took "${value}" as its file; put --persist after the settings, or give it a FILE ending in .conf`,
    );
  }
  return resolve(value);
}

/** apply and rollback print a table or JSON: their rows are a handful of changes. */
export function addTableOrJson(cmd: Command): Command {
  return cmd
    .option("--format <fmt>", "output: table or json (default: table)")
    .option("--json", "same as --format json");
}

export function textFormat(opts: CommonOptions): "table" | "json" {
  const format = outputFormat(opts);
  if (format === "csv" || format === "ndjson")
    throw new UsageError(`--format ${format} is not offered here; use table or json`);
  return format;
}

export function planLines(
  results: readonly ChangeResult[],
  where: string,
  netns: string | null,
  file: FileChange | null,
  undo: string,
): string[] {
  const out = [
    `Dry run: nothing written. In ${where}${netns ? ` (network namespace ${netns})` : ""}:`,
    "",
    changeTable(results),
    "",
  ];
  out.push(...hostWideLines(results.map((r) => r.name)));
  if (file?.content) {
    out.push(
      `--persist would write ${file.file}:`,
      ...file.content
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  }
  if (results.every((r) => r.outcome === "unchanged") && !file) {
    out.push("Every setting already has that value: nothing to do.");
    return out;
  }
  out.push(`To write: ${rerun(!isRoot())}`);
  out.push(
    ...para(
      `The old values go to the journal first; \`${undo}\` puts them back.` +
        (file ? "" : " Values written to /proc/sys are lost at reboot unless --persist is given."),
    ),
  );
  return out;
}
