/**
 * @module Keeps a task's timed rounds on the load as built: checks it before
 * the first round, re-makes TIME_WAIT when a round would outlast its 60 s
 * window, and checks it again at the end. Shared by the command tasks
 * (T1-T3) and the scrape task (T4).
 */
import { performance } from "node:perf_hooks";
import { checkLoad, makeTimeWait, TIME_WAIT_MS } from "./load/build.js";
import type { StateCounts } from "./load/counts.js";
import { progress } from "./progress.js";
import type { Session } from "./session.js";

/** Room kept between a round's expected end and TIME_WAIT expiry. */
const WINDOW_MARGIN_MS = 3000;

export interface LoadOutcome {
  countsBefore: StateCounts;
  countsAfter: StateCounts;
  /** Oldest TIME_WAIT age seen at the end of a round, in seconds. */
  timeWaitMaxAgeS: number | null;
  timeWaitRemakes: number;
  problems: string[];
}

export interface LoadGuard {
  /** Before each round, with the round's expected length. */
  beforeRound(expectedMs: number): Promise<void>;
  /** The counts checked before the first round. */
  countsBefore(): StateCounts;
  /** Checks the load after the last round and sums up. */
  finish(): Promise<LoadOutcome>;
}

export function guardLoad(session: Session, taskId: string): LoadGuard {
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
      progress(`${taskId}: ${check.problems.join(", ")}; re-making TIME_WAIT`);
      await makeTimeWait(load, runner);
      remakes++;
      check = await checkLoad(load, runner);
    }
    for (const p of check.problems) problems.add(p);
    return check.counts;
  };

  return {
    async beforeRound(expectedMs) {
      if (roundsSeen > 0) maxAge = Math.max(maxAge, age());
      const first = roundsSeen === 0;
      roundsSeen++;
      let remade = false;
      if (load.mix.tw > 0 && age() + expectedMs * 1.2 + WINDOW_MARGIN_MS > TIME_WAIT_MS) {
        progress(
          `${taskId}: TIME_WAIT is ${(age() / 1000).toFixed(0)} s old; re-making it for the next round`,
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
    countsBefore: () => countsBefore,
    async finish() {
      maxAge = Math.max(maxAge, age());
      const after = await checkLoad(load, runner);
      if (load.mix.tw > 0 && maxAge > TIME_WAIT_MS) {
        problems.add("a round outlasted the TIME_WAIT window: TIME_WAIT counts fell during it");
      }
      for (const p of after.problems) problems.add(`after timing: ${p}`);
      return {
        countsBefore,
        countsAfter: after.counts,
        timeWaitMaxAgeS: load.mix.tw > 0 ? Math.round(maxAge / 100) / 10 : null,
        timeWaitRemakes: remakes,
        problems: [...problems],
      };
    },
  };
}
