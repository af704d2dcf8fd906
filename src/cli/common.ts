/**
 * @module What every live command shares: the source and output options,
 * turning them into a ProcFs, a filter and a snapshot, and warnings on stderr.
 */
import type { Command } from "commander";
import { readCapture } from "../capture/read-capture.js";
import { type CompiledFilter, compileFilter } from "../filter/compile.js";
import type { Family } from "../model/endpoint.js";
import { UsageError } from "../model/errors.js";
import type { Snapshot } from "../model/snapshot.js";
import { stateBit } from "../model/tcp-state.js";
import { type Format, parseFormat } from "../render/output.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { type LiveRequest, type SourceChoice, takeLiveSnapshot } from "../sources/live.js";
import { ProcFs } from "../sources/procfs.js";
import { readSysctlSet, type SysctlRead } from "../sources/sysctl.js";

export interface CommonOptions {
  format?: string;
  json?: boolean;
  procRoot?: string;
  source?: string;
  ipv4?: boolean;
  ipv6?: boolean;
  /** A capture to analyse instead of the live host (a file, a sosreport folder, or - for stdin). */
  input?: string;
  debug?: boolean;
}

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option("-4, --ipv4", "only IPv4 sockets")
    .option("-6, --ipv6", "only IPv6 sockets")
    .option("--source <kind>", "where to read sockets: auto, netlink or proc", "auto")
    .option("--proc-root <dir>", "read /proc from DIR instead (a fixture tree or a mounted sosreport)")
    .option(
      "--input <path>",
      "analyse a capture instead of this host: netstat, ss or /proc/net/tcp output " +
        "(Linux, BSD, macOS, Solaris or Windows) or a sosreport folder; - reads stdin",
    );
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

/** An option's value as a whole number within [min, max]; a usage error otherwise. */
export function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} wants a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
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

/**
 * The capture --input names, keeping the sockets the filter words and -4/-6
 * keep; null when the live host is read. Its owners are the capture's own
 * (a capture's /proc is not this host's).
 */
export function captureFor(words: string[], opts: CommonOptions): Snapshot | null {
  if (opts.input === undefined) return null;
  if (opts.procRoot !== undefined || (opts.source ?? "auto") !== "auto") {
    throw new UsageError("--input reads a capture; it cannot be combined with --source or --proc-root");
  }
  const filter = compileFilter(words);
  const keep = families(opts);
  const capture = readCapture(opts.input);
  capture.sockets = capture.sockets.filter(
    (s) => keep.includes(s.family) && (filter.mask & stateBit(s.state)) !== 0 && filter.matches(s),
  );
  return capture;
}

/** The source detail of a capture ("capture: FILE (FORMAT)"); undefined for the live host. */
export function capturedFrom(snapshot: Snapshot): string | undefined {
  return snapshot.source.kind === "capture" ? snapshot.source.detail : undefined;
}

/** With -p on a capture that has no process column: say so, once, instead of showing nothing. */
export function warnNoOwners(snapshot: Snapshot, wanted: boolean): void {
  if (wanted && snapshot.source.kind === "capture" && !snapshot.ownersResolved) {
    printWarnings([`${snapshot.source.detail} has no process column, so -p has no owners to show`]);
  }
}

/** Reads the capture (--input) or the live host (or --proc-root) through the filter words. */
export function snapshotFor(words: string[], opts: CommonOptions, owners: boolean): Snapshot {
  const snapshot = captureFor(words, opts) ?? takeLiveSnapshot(liveRequest(words, opts, owners).request);
  printWarnings(snapshot.warnings);
  return snapshot;
}

/**
 * The sysctls to judge by: a capture's own (a sosreport carries them; the
 * names it lacks are missing), else this host's or --proc-root's.
 */
export function sysctlsFor(
  opts: CommonOptions,
  names: readonly string[],
  capture: Snapshot | null,
): SysctlRead {
  if (!capture) return readSysctlSet(new ProcFs(opts.procRoot ?? "/proc"), names);
  const read: SysctlRead = { values: {}, missing: [], unreadable: [] };
  for (const name of names) {
    const value = capture.host.sysctls[name];
    if (value === undefined) read.missing.push(name);
    else read.values[name] = value;
  }
  return read;
}

/** Warnings quote file names, capture lines and process names: terminal-safe. */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(terminalSafe(`sockdoc: warning: ${w}\n`));
}
