/**
 * @module One loaded namespace: create it, set its sysctls, start the runner,
 * build the load; and take it all down again.
 */
import { availableParallelism } from "node:os";
import { removeNamespace, trackNamespace } from "./cleanup.js";
import { buildLoad, type Load } from "./load/build.js";
import type { Mix } from "./load/plan.js";
import { createNamespace, hardFdLimit, setNamespaceSysctls } from "./namespace.js";
import { progress } from "./progress.js";
import { Runner } from "./runner/client.js";

export interface Session {
  ns: string;
  runner: Runner;
  load: Load;
}

/** The brief's ceiling for one worker's fds. */
const WORKER_FDS = 18_000;

/** Only per-namespace sysctls: setNamespaceSysctls checks the host's stay put. */
function sysctls(mix: Mix): Record<string, string> {
  return {
    // 64,512 ephemeral ports per destination instead of 28,232.
    "net.ipv4.ip_local_port_range": "1024 65535",
    // No reuse of TIME_WAIT tuples for new connections: re-made TIME_WAIT
    // must add sockets, not replace old ones, for the counts to be exact.
    "net.ipv4.tcp_tw_reuse": "0",
    // Past this the kernel skips TIME_WAIT altogether.
    "net.ipv4.tcp_max_tw_buckets": String(Math.max(262_144, 2 * mix.tw)),
    // The FIN_WAIT_2 orphans of the CLOSE_WAIT clients must outlive the bench
    // (they are destroyed at cleanup).
    "net.ipv4.tcp_fin_timeout": "3600",
    "net.core.somaxconn": "65535",
    "net.ipv4.tcp_max_syn_backlog": "65535",
  };
}

export async function openSession(ns: string, mix: Mix): Promise<Session> {
  createNamespace(ns);
  trackNamespace(ns);
  setNamespaceSysctls(ns, sysctls(mix));
  const fdLimit = Math.min(WORKER_FDS, hardFdLimit(ns)) - 500;
  if (fdLimit < 1000) throw new Error(`fd hard limit too low for the load workers (${fdLimit + 500})`);
  progress(`namespace ${ns} ready (workers may hold ${fdLimit} fds each)`);
  const runner = new Runner(ns);
  const twMakers = Math.min(4, availableParallelism());
  const load = await buildLoad(ns, mix, fdLimit, runner, twMakers);
  return { ns, runner, load };
}

export function closeSession(session: Session): void {
  session.runner.close();
  removeNamespace(session.ns);
  trackNamespace(null);
}
