/**
 * @module Starts one of the bench's Node programs inside the namespace with
 * its soft fd limit raised to the hard limit, and reads its JSON lines.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { trackChild } from "./cleanup.js";

/** dist/bench, where the compiled workers live. */
export const BENCH_DIST = dirname(fileURLToPath(import.meta.url));
/** The repository root (dist/bench/../..). */
export const REPO_ROOT = join(BENCH_DIST, "..", "..");

// `exec` keeps one pid from `ip netns exec` to node, so the pid we track is
// the worker itself.
const RAISE_LIMIT = 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"';

export interface NsProcess {
  name: string;
  child: ChildProcess;
  /** The last lines of its stderr, for error messages. */
  stderrTail(): string;
  onMessage(listener: (message: Record<string, unknown>) => void): void;
}

/** The command line of a compiled bench script (relative to dist/bench) with its settings. */
export function nodeCommand(script: string, settings?: unknown): string[] {
  const command = [process.execPath, join(BENCH_DIST, script)];
  if (settings !== undefined) command.push(JSON.stringify(settings));
  return command;
}

/** Start `command` (program and arguments) inside the namespace. */
export function startInNamespace(ns: string, name: string, command: string[]): NsProcess {
  const args = ["netns", "exec", ns, "sh", "-c", RAISE_LIMIT, ...command];
  const child = spawn("ip", args, { stdio: ["pipe", "pipe", "pipe"], cwd: REPO_ROOT });
  trackChild(child);
  child.stdin.on("error", () => {});
  let tail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-2000);
  });
  const listeners: Array<(message: Record<string, unknown>) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      tail = (tail + line).slice(-2000);
      return;
    }
    for (const listener of listeners) listener(message);
  });
  return {
    name,
    child,
    stderrTail: () => tail.trim(),
    onMessage: (listener) => listeners.push(listener),
  };
}
