/**
 * @module Starting `sockdoc lab SUB --json` in a test: the child, its first
 * line (the ready event) parsed, and every line it prints after.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { sockdocBin } from "./run.js";

export interface StartedLab<T> {
  child: ChildProcess;
  ready: T;
  lines: string[];
}

/** Starts the lab, adds it to started (for the test's cleanup), and waits up to 15 s for its ready line. */
export async function startJsonLab<T>(
  sub: string,
  args: string[],
  started: ChildProcess[],
): Promise<StartedLab<T>> {
  const child = spawn(sockdocBin, ["lab", sub, "--json", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (l) => lines.push(l));
  const deadline = Date.now() + 15_000;
  while (lines.length === 0) {
    if (child.exitCode !== null) throw new Error(`lab exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`lab not ready in time: ${stderr}`);
    await sleep(20);
  }
  return { child, ready: JSON.parse(lines[0]!) as T, lines };
}
