/**
 * @module Times one command task (T1, T2, T3) on a loaded namespace, its
 * rounds kept on the load as built (load-guard.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { checkOutput } from "./checks.js";
import type { TaskSpec } from "./commands.js";
import type { StateCounts } from "./load/counts.js";
import { guardLoad } from "./load-guard.js";
import { REPO_ROOT } from "./ns-process.js";
import { progress } from "./progress.js";
import type { Session } from "./session.js";
import { type Row, type TimingHooks, timeCommands } from "./timing.js";

export interface TaskResult {
  id: string;
  title: string;
  target: TaskSpec["target"];
  rows: Row[];
  countsBefore: StateCounts;
  countsAfter: StateCounts;
  /** Oldest TIME_WAIT age seen at the end of a round, in seconds. */
  timeWaitMaxAgeS: number | null;
  timeWaitRemakes: number;
  problems: string[];
}

export const SOCKDOC_PATH = join(REPO_ROOT, "bin", "sockdoc");

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function expand(shell: string): string {
  return shell.replaceAll("{sockdoc}", quote(SOCKDOC_PATH));
}

export function which(program: string): string | null {
  if (program.includes("/")) return existsSync(program.replaceAll("'", "")) ? program : null;
  const result = spawnSync("sh", ["-c", 'command -v "$0"', program], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

export async function runTask(session: Session, task: TaskSpec, runs: number): Promise<TaskResult> {
  const guard = guardLoad(session, task.id);
  const hooks: TimingHooks = {
    beforeRound: (expectedMs) => guard.beforeRound(expectedMs),
    checkOutput: (command, stdout) => checkOutput(command, stdout, guard.countsBefore()),
    which,
    expand,
  };
  progress(`${task.id} ${task.title}: timing ${1 + task.tools.length} commands, ${runs} runs each`);
  const rows = await timeCommands(session.runner, [task.sockdoc, ...task.tools], runs, hooks);
  return { id: task.id, title: task.title, target: task.target, rows, ...(await guard.finish()) };
}
