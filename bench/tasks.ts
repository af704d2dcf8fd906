/**
 * @module Times one task (T1, T2, T3) on a loaded namespace: checks the load
 * before, keeps every round inside the TIME_WAIT window (re-making TIME_WAIT
 * when a round would outlast it), and checks the load again after.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkOutput } from "./checks.js";
import type { TaskSpec } from "./commands.js";
import { checkLoad, makeTimeWait, TIME_WAIT_MS } from "./load/build.js";
import type { StateCounts } from "./load/counts.js";
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
/** Room kept between a round's expected end and TIME_WAIT expiry. */
const WINDOW_MARGIN_MS = 3000;

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
  const { load, runner } = session;
  const problems = new Set<string>();
  let maxAge = 0;
  let remakes = 0;
  let roundsSeen = 0;
  let countsBefore: StateCounts = {};
  const age = (): number => performance.now() - load.timeWaitStartedAt;

  const verify = async (): Promise<StateCounts> => {
    let check = await checkLoad(load, runner);
    if (check.problems.some((p) => p.startsWith("TIME_WAIT")) && load.mix.tw > 0) {
      progress(`${task.id}: ${check.problems.join(", ")}; re-making TIME_WAIT`);
      await makeTimeWait(load, runner);
      remakes++;
      check = await checkLoad(load, runner);
    }
    for (const p of check.problems) problems.add(p);
    return check.counts;
  };

  const hooks: TimingHooks = {
    async beforeRound(expectedMs) {
      if (roundsSeen > 0) maxAge = Math.max(maxAge, age());
      const first = roundsSeen === 0;
      roundsSeen++;
      let remade = false;
      if (load.mix.tw > 0 && age() + expectedMs * 1.2 + WINDOW_MARGIN_MS > TIME_WAIT_MS) {
        progress(
          `${task.id}: TIME_WAIT is ${(age() / 1000).toFixed(0)} s old; re-making it for the next round`,
        );
        await makeTimeWait(load, runner);
        remakes++;
        remade = true;
      }
      if (first || remade) {
        const counts = await verify();
        if (first) countsBefore = counts;
      }
    },
    checkOutput: (command, stdout) => checkOutput(command, stdout, countsBefore),
    which,
    expand,
  };

  progress(`${task.id} ${task.title}: timing ${1 + task.tools.length} commands, ${runs} runs each`);
  const rows = await timeCommands(runner, [task.sockdoc, ...task.tools], runs, hooks);
  maxAge = Math.max(maxAge, age());
  const after = await checkLoad(load, runner);
  const ageLimitHit = load.mix.tw > 0 && maxAge > TIME_WAIT_MS;
  if (ageLimitHit) problems.add("a round outlasted the TIME_WAIT window: TIME_WAIT counts fell during it");
  for (const p of after.problems) problems.add(`after timing: ${p}`);
  return {
    id: task.id,
    title: task.title,
    target: task.target,
    rows,
    countsBefore,
    countsAfter: after.counts,
    timeWaitMaxAgeS: load.mix.tw > 0 ? Math.round(maxAge / 100) / 10 : null,
    timeWaitRemakes: remakes,
    problems: [...problems],
  };
}
