/**
 * @module `sockdoc history [FILTER]`: what the watcher recorded — when each
 * CLOSE_WAIT group first appeared, its peak and now, the TIME_WAIT peaks per
 * destination, the events — from the database alone (a copy from another
 * host works).
 */
import { homedir } from "node:os";
import { Command } from "commander";
import { parseDuration } from "../../model/duration.js";
import { UsageError } from "../../model/errors.js";
import { emit, emitJson, terminalWidth } from "../../render/output.js";
import { historyCsv } from "../../report/history/csv.js";
import { historyJson } from "../../report/history/json.js";
import { historyText } from "../../report/history/table.js";
import { filterHistory } from "../../store/filter.js";
import { guarded, openForReading } from "../../store/open.js";
import { defaultDbPath } from "../../store/paths.js";
import { readHistory } from "../../store/reader.js";
import { addOutputOptions, type CommonOptions, outputFormat as parseOutput } from "../common.js";

interface HistoryOptions extends CommonOptions {
  db?: string;
  since?: string;
}

const HELP = `
The window ends at the database's latest sample (not at this clock), so
--since 2h on a copy from another host shows that host's last two hours.
Times are UTC. Read from the one-minute rollups: peaks are per minute.

FILTER (all words must match):
  pid N        a process (CLOSE_WAIT groups, events naming it)
  port N       a CLOSE_WAIT group's port, a destination's port
  comm NAME    a process name
  netns NAME   a namespace as watch --all-netns named it
  WORD         any other word: found in the owner, command line, unit,
               addresses or an event's text

--format csv: one table, a "section" column (closewait, timewait, event).

Examples:
  sockdoc history --since 2h
  sockdoc history --db copy-of-web1.db --json port 8080

Exit status: 0 ok; 2 usage; 3 database missing, unreadable or not sockdoc's.`;

export function historyCommand(): Command {
  const cmd = new Command("history")
    .summary("what watch recorded: CLOSE_WAIT groups, TIME_WAIT peaks, events")
    .description("Reads the history database `sockdoc watch` writes.")
    .argument("[filter...]", "words narrowing the rows: pid N, port N, comm NAME, netns NAME, or any text")
    .option("--db <file>", "the history database (default: as sockdoc watch)")
    .option("--since <duration>", "only the last DURATION before the latest sample (90s, 30m, 2h, 3d)");
  addOutputOptions(cmd);
  cmd.addHelpText("after", HELP);
  return cmd.action((words: string[], opts: HistoryOptions) => {
    const format = parseOutput(opts);
    if (format === "ndjson") throw new UsageError("history prints table, json or csv");
    let sinceMs: number | null = null;
    if (opts.since !== undefined) {
      sinceMs = parseDuration(opts.since);
      if (sinceMs === null)
        throw new UsageError(`--since wants a duration such as 30m, 2h or 3d, not "${opts.since}"`);
    }
    const file = opts.db ?? defaultDbPath(process.env, process.geteuid?.() ?? 0, homedir());
    const db = openForReading(file);
    let history;
    try {
      history = filterHistory(
        guarded(file, () => readHistory(db, sinceMs)),
        words,
      );
    } finally {
      db.close();
    }
    if (format === "json") emitJson(historyJson(file, history, []));
    else if (format === "csv") emit(historyCsv(history));
    else emit(historyText(file, history, terminalWidth()));
  });
}
