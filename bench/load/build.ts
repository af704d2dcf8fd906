/**
 * @module Builds the load in the namespace: CLOSE_WAIT holders and
 * ESTABLISHED pairs that stay, then TIME_WAIT (made last, and re-made when its
 * 60 s window runs out), and checks the counts.
 */
import { performance } from "node:perf_hooks";
import { type NsProcess, nodeCommand, startInNamespace } from "../ns-process.js";
import { progress, progressThrottled, thousands } from "../progress.js";
import type { Runner } from "../runner/client.js";
import { countProblems, expectedCounts, type StateCounts } from "./counts.js";
import { nativeMaker } from "./native-maker.js";
import { type LoadPlan, type Mix, planLoad } from "./plan.js";
import type { TimeWaitSettings } from "./time-wait-worker.js";
import { waitExit, waitReady } from "./worker-ready.js";

export interface Load {
  ns: string;
  mix: Mix;
  plan: LoadPlan;
  workers: NsProcess[];
  /** performance.now() when the current TIME_WAIT sockets began to be made. */
  timeWaitStartedAt: number;
  buildMs: number;
}

/** TIME_WAIT lasts 60 s (TCP_TIMEWAIT_LEN). */
export const TIME_WAIT_MS = 60_000;

const readyTimeout = (count: number): number => 60_000 + 2 * count;

async function startHolders(ns: string, plan: LoadPlan): Promise<NsProcess[]> {
  const specs = [
    ...plan.closeWait.map((s, i) => ({ name: `close-wait-${i}`, script: "load/close-wait-worker.js", s })),
    ...plan.established.map((s, i) => ({
      name: `established-${i}`,
      script: "load/established-worker.js",
      s,
    })),
  ];
  const done = new Map<string, number>();
  const total = specs.reduce((sum, spec) => sum + spec.s.count, 0);
  const workers = specs.map((spec) => startInNamespace(ns, spec.name, nodeCommand(spec.script, spec.s)));
  const report = (): void => {
    const sum = [...done.values()].reduce((a, b) => a + b, 0);
    progressThrottled(`holders: ${thousands(sum)} of ${thousands(total)} connections made`);
  };
  await Promise.all(
    workers.map((worker, i) =>
      waitReady(worker, readyTimeout(specs[i]!.s.count), (n) => {
        done.set(worker.name, n);
        report();
      }),
    ),
  );
  return workers;
}

/** Destroy the old TIME_WAIT sockets (kernel >= 6.0), or wait for them to expire. */
async function clearTimeWait(runner: Runner): Promise<void> {
  if (((await runner.count()).states.TIME_WAIT ?? 0) === 0) return;
  await runner.run("ss -K state time-wait");
  const deadline = performance.now() + TIME_WAIT_MS + 5000;
  let left = (await runner.count()).states.TIME_WAIT ?? 0;
  if (left > 0) progress(`this kernel cannot destroy TIME_WAIT: waiting up to 60 s for ${thousands(left)}`);
  while (left > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    left = (await runner.count()).states.TIME_WAIT ?? 0;
  }
  if (left > 0) throw new Error(`${left} old TIME_WAIT sockets did not go away`);
}

/** The C maker when g++ could build it, else the Node worker. */
function timeWaitCommand(settings: TimeWaitSettings): string[] {
  const native = nativeMaker();
  if (native.path === null) return nodeCommand("load/time-wait-worker.js", settings);
  return [native.path, String(settings.count), String(settings.hosts.length), ...settings.ports.map(String)];
}

/** (Re)make the TIME_WAIT part of the load; sets load.timeWaitStartedAt. */
export async function makeTimeWait(load: Load, runner: Runner): Promise<void> {
  if (load.mix.tw === 0) return;
  await clearTimeWait(runner);
  const t0 = performance.now();
  load.timeWaitStartedAt = t0;
  const made = new Map<number, number>();
  await Promise.all(
    load.plan.timeWait.map((settings, i) => {
      const worker = startInNamespace(load.ns, `time-wait-${i}`, timeWaitCommand(settings));
      const ready = waitReady(worker, readyTimeout(settings.count), (n) => {
        made.set(i, n);
        const sum = [...made.values()].reduce((a, b) => a + b, 0);
        progressThrottled(`TIME_WAIT: ${thousands(sum)} of ${thousands(load.mix.tw)}`);
      });
      return ready.then(() => waitExit(worker));
    }),
  );
  progress(`TIME_WAIT: ${thousands(load.mix.tw)} made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function buildLoad(
  ns: string,
  mix: Mix,
  fdLimit: number,
  runner: Runner,
  twMakers: number,
): Promise<Load> {
  const t0 = performance.now();
  const plan = planLoad(mix, fdLimit, twMakers);
  progress(
    `building load in ${ns}: ${thousands(mix.cw)} CLOSE_WAIT (${plan.closeWait.length} holders), ` +
      `${thousands(mix.estab)} ESTABLISHED pairs (${plan.established.length} workers), ${thousands(mix.tw)} TIME_WAIT`,
  );
  const workers = await startHolders(ns, plan);
  progress(`holders ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const load: Load = { ns, mix, plan, workers, timeWaitStartedAt: performance.now(), buildMs: 0 };
  await makeTimeWait(load, runner);
  load.buildMs = performance.now() - t0;
  return load;
}

export interface LoadCheck {
  counts: StateCounts;
  orphans: number;
  problems: string[];
}

/** Count the namespace's sockets and compare with what the load should hold. */
export async function checkLoad(load: Load, runner: Runner): Promise<LoadCheck> {
  const { states, sockstat } = await runner.count();
  return {
    counts: states,
    orphans: sockstat.orphan ?? 0,
    problems: countProblems(states, expectedCounts(load.mix, load.plan)),
  };
}
