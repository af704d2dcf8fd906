/**
 * @module Times a task's commands: one untimed run each (warm-up, peak RSS,
 * output check), then `runs` rounds in which every command runs once, the
 * order rotating from round to round so that none always goes first.
 */
import { performance } from "node:perf_hooks";
import type { BenchCommand } from "./commands.js";
import type { Runner } from "./runner/client.js";
import type { RunResult } from "./runner/protocol.js";
import { median } from "./stats.js";

export interface Row {
  tool: string;
  shell: string;
  status: "ok" | "failed" | "skipped";
  note?: string;
  runsMs: number[];
  medianMs?: number;
  rssKb?: number;
  /** Output size of the warm-up run. */
  lines?: number;
  bytes?: number;
}

export interface TimingHooks {
  /** Called before each round with the expected round length; may re-make load. */
  beforeRound(expectedMs: number): Promise<void>;
  /** Checks a command's warm-up output; returns a problem or null. */
  checkOutput?(command: BenchCommand, stdout: string): string | null;
  /** Resolves `needs` to a path, or null when the program is missing. */
  which(program: string): string | null;
  /** The command line with {sockdoc} filled in. */
  expand(shell: string): string;
}

/** First informative line of a failed run. */
function failure(result: RunResult): string {
  const line = result.stderr.split("\n").find((l) => l.trim() !== "");
  const how = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
  return line ? `${how}: ${line.trim().slice(0, 200)}` : how;
}

const failed = (result: RunResult): boolean => result.code !== 0 || result.signal !== null;

export async function timeCommands(
  runner: Runner,
  commands: BenchCommand[],
  runs: number,
  hooks: TimingHooks,
  firstRoundGuessMs = 20_000,
): Promise<Row[]> {
  const rows: Row[] = commands.map((c) => ({
    tool: c.tool,
    shell: hooks.expand(c.shell),
    status: "ok",
    runsMs: [],
  }));
  commands.forEach((command, i) => {
    const program = hooks.expand(command.needs);
    if (hooks.which(program) === null) {
      const hint = command.installHint ? ` (apt-get install ${command.installHint})` : "";
      rows[i]!.status = "skipped";
      rows[i]!.note = `${program.replaceAll("'", "")} not found${hint}`;
    }
  });
  await hooks.beforeRound(firstRoundGuessMs);
  let roundStart = performance.now();
  for (const [i, command] of commands.entries()) {
    const row = rows[i]!;
    if (row.status !== "ok") continue;
    const result = await runner.run(row.shell, { rss: true, capture: command.check !== undefined });
    row.rssKb = result.rssKb;
    row.lines = result.lines;
    row.bytes = result.bytes;
    const problem = failed(result)
      ? failure(result)
      : command.check !== undefined
        ? (hooks.checkOutput?.(command, result.stdout ?? "") ?? null)
        : null;
    if (problem !== null) {
      row.status = "failed";
      row.note = problem;
    }
  }
  let lastRoundMs = performance.now() - roundStart;
  for (let round = 0; round < runs; round++) {
    await hooks.beforeRound(lastRoundMs);
    roundStart = performance.now();
    for (let k = 0; k < rows.length; k++) {
      const row = rows[(k + round) % rows.length]!;
      if (row.status !== "ok") continue;
      const result = await runner.run(row.shell);
      if (failed(result)) {
        row.status = "failed";
        row.note = `run ${round + 1}: ${failure(result)}`;
      } else row.runsMs.push(result.ms);
    }
    lastRoundMs = performance.now() - roundStart;
  }
  for (const row of rows) if (row.status === "ok") row.medianMs = median(row.runsMs);
  return rows;
}
