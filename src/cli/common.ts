/**
 * @module What every live command shares: the source and output options,
 * turning them into a ProcFs, a filter and a snapshot, and warnings on stderr.
 */
import type { Command } from "commander";
import { type CompiledFilter, compileFilter } from "../filter/compile.js";
import type { Family } from "../model/endpoint.js";
import { UsageError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { type Format, parseFormat } from "../render/output.js";
import { type LiveRequest, type SourceChoice, takeLiveSnapshot } from "../sources/live.js";
import { ProcFs } from "../sources/procfs.js";

export interface CommonOptions {
  format?: string;
  json?: boolean;
  procRoot?: string;
  source?: string;
  ipv4?: boolean;
  ipv6?: boolean;
  debug?: boolean;
}

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option("-4, --ipv4", "only IPv4 sockets")
    .option("-6, --ipv6", "only IPv6 sockets")
    .option("--source <kind>", "where to read sockets: auto, netlink or proc", "auto")
    .option("--proc-root <dir>", "read /proc from DIR instead (a fixture tree or a mounted sosreport)");
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option("--format <fmt>", "output: table, json, ndjson or csv (default: table)")
    .option("--json", "same as --format json");
}

export function families(opts: CommonOptions): Family[] {
  if (opts.ipv4 && !opts.ipv6) return [4];
  if (opts.ipv6 && !opts.ipv4) return [6];
  return [4, 6];
}

export function sourceChoice(value: string | undefined): SourceChoice {
  if (value === undefined || value === "auto" || value === "netlink" || value === "proc")
    return value ?? "auto";
  throw new UsageError(`unknown source "${value}"; expected one of: auto, netlink, proc`);
}

export function outputFormat(opts: CommonOptions): Format {
  return parseFormat(opts.format, opts.json);
}

/** What to read for these filter words and options. */
export function liveRequest(
  words: string[],
  opts: CommonOptions,
  owners: boolean,
): { request: LiveRequest; filter: CompiledFilter } {
  const filter = compileFilter(words);
  const request: LiveRequest = {
    proc: new ProcFs(opts.procRoot ?? "/proc"),
    statesMask: filter.mask,
    families: families(opts),
    source: sourceChoice(opts.source),
    owners,
    // A filter of states only is done entirely by the kernel's state mask.
    ...(filter.statesOnly ? {} : { filter: filter.matches }),
  };
  return { request, filter };
}

/** Reads the live host (or --proc-root) through the filter words. */
export function snapshotFor(words: string[], opts: CommonOptions, owners: boolean): Snapshot {
  const snapshot = takeLiveSnapshot(liveRequest(words, opts, owners).request);
  printWarnings(snapshot.warnings);
  return snapshot;
}

export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`sockdoc: warning: ${w}\n`);
}
