/**
 * @module Leaves nothing behind: every process the bench starts and the
 * namespace are registered here, and removed at exit, on Ctrl-C (SIGINT),
 * SIGTERM and uncaught errors. All of it is synchronous so that it also
 * runs from process.on("exit").
 */
import type { ChildProcess } from "node:child_process";
import { spawnSync } from "node:child_process";

const children = new Set<ChildProcess>();
let namespace: string | null = null;
let kept = false;
let done = false;

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

export function trackNamespace(name: string | null): void {
  namespace = name;
}

/** --keep: tell the workers to stay, and forget them so exit leaves them. */
export function keepEverything(): void {
  for (const child of children) {
    if (child.stdin && !child.stdin.writableEnded) {
      child.stdin.write("keep\n");
      child.stdin.end();
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  }
  children.clear();
  kept = true;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already exited
  }
}

/** Pids of the processes in our namespace: all of them were started by the bench. */
export function namespacePids(name: string): number[] {
  const result = spawnSync("ip", ["netns", "pids", name], { encoding: "utf8" });
  return (result.stdout ?? "").split(/\s+/).filter(Boolean).map(Number);
}

/** Kill every worker and the namespace's processes, then delete the namespace. */
export function removeNamespace(name: string): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killPid(child.pid);
  }
  children.clear();
  // Commands the runner had started (a pipeline it was timing) are in the
  // namespace too; only our own processes live there.
  for (const pid of namespacePids(name)) killPid(pid);
  // Orphaned FIN_WAIT_2 sockets hold the namespace alive for tcp_fin_timeout
  // after deletion; destroy all sockets first (ignored where unsupported).
  spawnSync("ip", ["netns", "exec", name, "ss", "-K", "-tan"], { stdio: "ignore" });
  spawnSync("ip", ["netns", "del", name], { stdio: "ignore" });
}

export function cleanupNow(): void {
  if (done || kept) return;
  done = true;
  if (namespace !== null) removeNamespace(namespace);
  else for (const child of children) if (child.pid !== undefined) killPid(child.pid);
}

export function installCleanupHandlers(): void {
  process.on("exit", cleanupNow);
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nsockdoc bench: ${signal}, cleaning up\n`);
      kept = false;
      cleanupNow();
      process.exit(code);
    });
  }
  process.on("uncaughtException", (err) => {
    process.stderr.write(`sockdoc bench: ${err.stack ?? err.message}\n`);
    kept = false;
    cleanupNow();
    process.exit(1);
  });
}
