/**
 * @module What every reporting command shares: the source and output
 * options, turning them into a scope to inspect, and warnings on stderr.
 */
import type { Command } from "commander";
import { DEFAULT_INPUT_LIMIT, parseInputLimit } from "../capture/input-limit.js";
import { openCapture } from "../capture/read-capture.js";
import { heldCapture } from "../capture/capture-source.js";
import { hostOverride, ManyHostsCapture } from "./capture-hosts.js";
import type { CompiledFilter } from "../filter/compile.js";
import type { Analysis } from "../inspect/analysis.js";
import { describeInspection } from "../inspect/describe.js";
import { type Inspection, inspect, inspectMany } from "../inspect/inspect.js";
import { namespaceScopes } from "../inspect/namespaces.js";
import type { Scope } from "../inspect/scope.js";
import type { Family } from "../model/endpoint.js";
import { UsageError } from "../model/errors.js";
import type { TcpSocket } from "../model/socket.js";
import { type Format, parseFormat } from "../render/output.js";
import type { SourceChoice } from "../inspect/scope.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { ProcFs } from "../sources/procfs.js";

export interface CommonOptions {
  format?: string;
  json?: boolean;
  procRoot?: string;
  source?: string;
  ipv4?: boolean;
  ipv6?: boolean;
  /** A capture to analyse instead of the live host (a file, a sosreport folder, or - for stdin). */
  input?: string;
  netns?: string;
  allNetns?: boolean;
  /** The most of --input read, as given ("512M"); 256 MiB when absent. */
  inputLimit?: string;
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
        "(Linux, BSD, macOS, Solaris or Windows), a sosreport folder, either as .tar[.gz|.xz|.bz2|.zst] " +
        "or .zip, or a sos collect archive (one report per host); - reads stdin",
    )
    .option("--input-limit <size>", "read at most SIZE of --input (e.g. 512M, 1G; default 256M)")
    .option(
      "--netns <ns>",
      "read one network namespace: an ip netns name, a PID, or a /proc/PID/ns/net or bind-mount path",
    )
    .option(
      "--all-netns",
      "read every network namespace of the host (containers and pods), each under its own name",
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

/**
 * What the options point at: the capture --input names (read once, here,
 * so stdin is never read twice), else this host (or a --proc-root tree).
 * The one place that tells a capture from the live host.
 */
export function scopeFor(opts: CommonOptions): Scope {
  if (opts.netns !== undefined || opts.allNetns) {
    throw new UsageError("--netns and --all-netns are not supported by this command");
  }
  return oneScope(opts);
}

function oneScope(opts: CommonOptions): Scope {
  if (opts.input !== undefined) {
    if (opts.procRoot !== undefined || (opts.source ?? "auto") !== "auto") {
      throw new UsageError("--input reads a capture; it cannot be combined with --source or --proc-root");
    }
    const given = hostOverride();
    if (given !== null) return { kind: "capture", capture: heldCapture(given), families: families(opts) };
    const limit = opts.inputLimit === undefined ? DEFAULT_INPUT_LIMIT : parseInputLimit(opts.inputLimit);
    const opened = openCapture(opts.input, limit);
    // Several hosts (sos collect): main.ts runs the command once per host.
    if ("hosts" in opened) throw new ManyHostsCapture(opts.input, opened.hosts);
    return { kind: "capture", capture: opened, families: families(opts) };
  }
  return {
    kind: "host",
    proc: new ProcFs(opts.procRoot ?? "/proc"),
    source: sourceChoice(opts.source),
    families: families(opts),
  };
}

/**
 * The scopes of a command that takes --netns and --all-netns: one per
 * network namespace named (with its name and container), or the one scope
 * of scopeFor. namespaced says whether the output names namespaces.
 */
export function scopesFor(opts: CommonOptions): { scopes: Scope[]; namespaced: boolean } {
  if (opts.netns === undefined && !opts.allNetns) return { scopes: [oneScope(opts)], namespaced: false };
  if (opts.netns !== undefined && opts.allNetns) throw new UsageError("--netns and --all-netns: pick one");
  if (opts.input !== undefined || opts.procRoot !== undefined) {
    throw new UsageError(
      "--netns and --all-netns read this host's namespaces; they cannot be combined with --input or --proc-root",
    );
  }
  const choice = opts.allNetns ? { all: true } : { spec: opts.netns! };
  const { scopes, warnings } = namespaceScopes(choice, {
    proc: new ProcFs("/proc"),
    source: sourceChoice(opts.source),
    families: families(opts),
  });
  printWarnings(warnings);
  return { scopes, namespaced: true };
}

/** Inspects every scope with the analyses made for it, printing the reads' warnings (each once). */
export async function inspectAllAndWarn(
  scopes: readonly Scope[],
  analysesFor: (scope: Scope) => readonly Analysis<unknown>[],
): Promise<Inspection[]> {
  const inspections = await inspectMany(scopes, analysesFor);
  const said = new Set<string>();
  for (const inspection of inspections) {
    debugInspection(inspection);
    printNewWarnings(inspection.warnings, said);
  }
  return inspections;
}

/** Prints the warnings not in said (those of earlier scopes or samples), then adds them all to it. */
export function printNewWarnings(warnings: readonly string[], said: Set<string>): void {
  printWarnings(warnings.filter((w) => !said.has(w)));
  for (const w of warnings) said.add(w);
}

/** The sockets' filter beyond its states; undefined when the kernel's state mask does it all. */
export function beyondStates(filter: CompiledFilter): ((s: TcpSocket) => boolean) | undefined {
  return filter.statesOnly ? undefined : filter.matches;
}

/** --debug anywhere on the command line (a program-wide flag). */
const DEBUG = process.argv.includes("--debug");

/** With --debug, one line on stderr about the inspection (dump requests, times). */
export function debugInspection(inspection: Inspection): void {
  // Escaped: the line names the scope (a namespace's name comes from outside).
  if (DEBUG) process.stderr.write(`sockdoc: debug: ${terminalSafe(describeInspection(inspection))}\n`);
}

/** Inspects the scope with the analyses and prints the read's warnings. */
export async function inspectAndWarn(
  scope: Scope,
  analyses: readonly Analysis<unknown>[],
): Promise<Inspection> {
  const inspection = await inspect(scope, analyses);
  debugInspection(inspection);
  printWarnings(inspection.warnings);
  return inspection;
}

/** The source detail of a capture ("capture: FILE (FORMAT)"); undefined for the live host. */
export function capturedFrom(inspection: Inspection): string | undefined {
  return inspection.facts.source.kind === "capture" ? inspection.facts.source.detail : undefined;
}

/** With -p on a capture that has no process column: say so, once, instead of showing nothing. */
export function warnNoOwners(inspection: Inspection, wanted: boolean): void {
  if (wanted && inspection.facts.source.kind === "capture" && !inspection.ownersResolved) {
    printWarnings([`${inspection.facts.source.detail} has no process column, so -p has no owners to show`]);
  }
}

/** Warnings quote file names, capture lines and process names: terminal-safe. */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(terminalSafe(`sockdoc: warning: ${w}\n`));
}
