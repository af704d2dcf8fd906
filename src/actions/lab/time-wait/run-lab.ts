/**
 * @module The time-wait lab: makes a network namespace of its own
 * (sockdoc-lab-tw-PID, loopback up), runs the churn (churn.ts) inside it
 * with `ip netns exec`, and hands its events to the caller; stop() ends the
 * churn and deletes the namespace, and is safe to call twice. The host's
 * sysctls and ports are never touched: the port range and tcp_tw_reuse the
 * churn sets are the namespace's own.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { InputError, PermissionError, UsageError } from "../../../model/errors.js";
import { installRoot } from "../../../sources/install-root.js";

export const MAX_RATE = 20_000;
export const MAX_DURATION_S = 3600;

export interface TimeWaitLabOptions {
  rate: number;
  durationS: number;
  /** The namespace's ip_local_port_range; null keeps its default (32768-60999). */
  ports: readonly [number, number] | null;
}

/** One line of the churn: "listening", "progress", "exhausted" or "done", with its time (ms). */
export interface ChurnEvent {
  event: string;
  t: number;
  [field: string]: unknown;
}

export interface RunningTimeWaitLab {
  netns: string;
  serverPort: number;
  /** Resolves with the "done" event, or rejects when the churn dies first. */
  done: Promise<ChurnEvent>;
  stop(): void;
}

/** "40000-41999" -> [40000, 41999]: at least 2 ports, above 1023, lo <= hi. */
export function parsePortSpan(text: string): [number, number] {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const lo = m ? Number(m[1]) : Number.NaN;
  const hi = m ? Number(m[2]) : Number.NaN;
  if (!(lo >= 1024 && hi <= 65535 && lo < hi)) {
    throw new UsageError(
      `--ports wants LO-HI with 1024 <= LO < HI <= 65535, e.g. 40000-41999, not "${text}"`,
    );
  }
  return [lo, hi];
}

export function checkTimeWaitLabOptions(o: TimeWaitLabOptions): void {
  if (!Number.isInteger(o.rate) || o.rate < 1 || o.rate > MAX_RATE) {
    throw new UsageError(`--rate wants connections per second from 1 to ${MAX_RATE}, not "${o.rate}"`);
  }
  if (!Number.isInteger(o.durationS) || o.durationS < 1 || o.durationS > MAX_DURATION_S) {
    throw new UsageError(`--duration wants seconds from 1 to ${MAX_DURATION_S}, not "${o.durationS}"`);
  }
}

/** A server port outside the churn's range, so the listener takes none of its ports. */
function serverPortFor(ports: readonly [number, number] | null): number {
  const [lo, hi] = ports ?? [32768, 60999];
  return lo > 8080 || hi < 8080 ? 8080 : lo > 1024 ? lo - 1 : hi + 1;
}

function ip(args: string[]): { ok: boolean; error: string } {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.error) return { ok: false, error: `ip: ${r.error.message} (install iproute2)` };
  return { ok: r.status === 0, error: r.stderr.trim().split("\n")[0] ?? "" };
}

export function labNetnsName(pid: number = process.pid): string {
  return `sockdoc-lab-tw-${pid}`;
}

export function startTimeWaitLab(
  o: TimeWaitLabOptions,
  onEvent: (e: ChurnEvent) => void,
): Promise<RunningTimeWaitLab> {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new PermissionError(
      "lab time-wait makes a network namespace of its own (so the host's ports and sysctls stay untouched), " +
        "which needs root: run it with sudo",
    );
  }
  const netns = labNetnsName();
  const add = ip(["netns", "add", netns]);
  if (!add.ok) throw new InputError(`cannot make the lab's network namespace ${netns}: ${add.error}`);
  const removeNetns = () => void ip(["netns", "delete", netns]);
  const up = ip(["-n", netns, "link", "set", "lo", "up"]);
  if (!up.ok) {
    removeNetns();
    throw new InputError(`cannot bring up loopback in ${netns}: ${up.error}`);
  }
  const serverPort = serverPortFor(o.ports);
  const script = join(installRoot(), "dist", "src", "actions", "lab", "time-wait", "churn.js");
  const args = ["netns", "exec", netns, process.execPath, script, String(o.rate), String(o.durationS)];
  args.push(String(serverPort), ...(o.ports ? o.ports.map(String) : []));
  const child: ChildProcess = spawn("ip", args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    removeNetns();
  };
  return new Promise((resolve, reject) => {
    let listening = false;
    let last: ChurnEvent | null = null;
    const done = new Promise<ChurnEvent>((resolveDone, rejectDone) => {
      child.on("exit", (code) => {
        if (last?.event === "done") resolveDone(last);
        else
          rejectDone(
            new InputError(
              `the lab's churn ended early (exit ${code}): ${stderr.trim().split("\n")[0] ?? ""}`,
            ),
          );
      });
    });
    done.catch(() => {}); // the caller awaits it; an early end before "listening" rejects below too
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let e: ChurnEvent;
      try {
        e = JSON.parse(line) as ChurnEvent;
      } catch {
        return;
      }
      last = e;
      if (e.event === "listening" && !listening) {
        listening = true;
        resolve({ netns, serverPort, done, stop });
      }
      onEvent(e);
    });
    child.on("exit", (code) => {
      if (!listening) {
        stop();
        reject(
          new InputError(
            `the lab's churn did not start (exit ${code}): ${stderr.trim().split("\n")[0] ?? ""}`,
          ),
        );
      }
    });
  });
}
