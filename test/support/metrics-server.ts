/**
 * @module Test helper: `sockdoc metrics --listen ARGS` as a child process,
 * resolved once it serves (its first stderr line names the URL), with its
 * stderr kept line by line and a way to stop it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { sockdocBin } from "./run.js";

export async function serveMetrics(args: string[]) {
  const child = spawn(sockdocBin, ["metrics", "--listen", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  const stderr: string[] = [];
  const lines = createInterface({ input: child.stderr! });
  lines.on("line", (line) => stderr.push(line));
  const [line] = (await once(lines, "line")) as [string];
  const url = /http:\/\/\S+\/metrics/.exec(line)?.[0];
  assert.ok(url, line);
  /** The first stderr line that matches, already printed or to come. */
  const lineMatching = (match: RegExp): Promise<string> => {
    const seen = stderr.find((l) => match.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const look = (l: string) => {
        if (!match.test(l)) return;
        lines.off("line", look);
        resolve(l);
      };
      lines.on("line", look);
    });
  };
  const stop = async () => {
    child.kill();
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  };
  return { child, url, port: Number(new URL(url).port), stderr, lineMatching, stop };
}
