/**
 * @module Text helpers the tune subcommands share: prose wrapped to the
 * terminal (80 columns when piped), a severity tally, and the sudo rerun
 * line.
 */
import { invokedAs, rerunCommand, shellQuote } from "../../actions/kill/rerun-command.js";
import { DEFAULT_JOURNAL } from "../../actions/tune/journal.js";
import { SEVERITIES, type Severity } from "../../model/severity.js";
import { terminalWidth } from "../../render/output.js";
import { wrap } from "../../report/wrap.js";

export function width(): number {
  return terminalWidth() || 80;
}

/** A paragraph wrapped, continuation lines under the first line's text. */
export function para(text: string, indent = "", hanging = indent): string[] {
  return wrap(text, width(), indent, hanging);
}

/** "1 critical, 2 warning" (worst first); "none" when empty. */
export function tally(severities: readonly Severity[]): string {
  const parts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, severities.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** The same command with --yes, under sudo when asked. */
export function rerun(sudo: boolean): string {
  const program = invokedAs(process.env.SOCKDOC_INVOKED_AS ?? process.argv[1]);
  return rerunCommand(program, process.argv.slice(2), sudo);
}

export function isRoot(): boolean {
  return process.geteuid?.() === 0;
}

/** The rollback command for what was just applied, with the same journal and root. */
export function rollbackHint(journal: string, procRoot: string | undefined): string {
  const words = ["sockdoc", "tune", "rollback", "--yes"];
  if (journal !== DEFAULT_JOURNAL) words.push("--journal", shellQuote(journal));
  if (procRoot !== undefined) words.push("--proc-root", shellQuote(procRoot));
  return words.join(" ");
}
