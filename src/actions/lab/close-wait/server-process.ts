/**
 * @module Starts the lab's defective server as a child process and waits for
 * its {"listening": PORT} line. The child gets its own process group so a
 * Ctrl-C reaches only the lab, which then stops it in order; it holds a
 * pipe from the lab (its lifeline) and exits by itself if the lab dies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { join } from "node:path";
import { InputError } from "../../../model/errors.js";
import { installRoot } from "../../../sources/install-root.js";
import type { LabRecipe } from "./causes.js";
import { PYTHON_SERVER, pythonArgs } from "./python-server.js";

export interface ServerProcess {
  child: ChildProcess;
  /** Closing this pipe tells the server to exit (it also closes when the lab dies). */
  lifeline: Writable | null;
  pid: number;
  port: number;
  program: string;
}

const READY_TIMEOUT_MS = 10_000;

function command(recipe: LabRecipe, host: string, port: number, backlog: number): [string, string[]] {
  if (recipe.server === "python") return ["python3", pythonArgs(host, port, backlog)];
  const script = join(installRoot(), "dist", "src", "actions", "lab", "close-wait", "node-server.js");
  return [process.execPath, [script, recipe.cause, host, String(port)]];
}

export function startServer(
  recipe: LabRecipe,
  host: string,
  port: number,
  backlog: number,
): Promise<ServerProcess> {
  const [file, args] = command(recipe, host, port, backlog);
  const python = recipe.server === "python";
  const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe", "pipe"], detached: true });
  // python3 reads its script from stdin; its lifeline is fd 3. Node's is its stdin.
  if (python) child.stdin?.end(PYTHON_SERVER);
  const lifeline = (python ? child.stdio[3] : child.stdin) as Writable | null;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new InputError(`lab server (${file}) ${why}${stderr.trim() ? `: ${stderr.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail("did not start listening in time"), READY_TIMEOUT_MS);
    child.on("error", (err) => fail(`could not start: ${err.message}`));
    child.on("exit", (code) => fail(`exited with code ${code}`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      let port: unknown;
      try {
        port = (JSON.parse(line) as { listening?: unknown }).listening;
      } catch {
        port = undefined;
      }
      if (typeof port !== "number" || child.pid === undefined)
        return fail(`printed "${line}" instead of its port`);
      resolve({ child, lifeline, pid: child.pid, port, program: python ? "python3" : "node" });
    });
  });
}

/** Closes the lifeline (the server exits on EOF), then SIGTERM, then SIGKILL after graceMs. */
export function stopServer(server: ServerProcess, graceMs = 2000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    server.lifeline?.end();
    child.kill("SIGTERM");
  });
}
