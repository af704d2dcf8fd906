/**
 * @module The bench's side of the in-namespace runner: send a request, await
 * its answer.
 */
import { type NsProcess, nodeCommand, startInNamespace } from "../ns-process.js";
import type { CountResult, HttpResult, RunnerRequest, RunnerResponse, RunResult } from "./protocol.js";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export interface RunOptions {
  rss?: boolean;
  capture?: boolean;
}

export class Runner {
  private nextId = 1;
  private readonly pending = new Map<number, (response: RunnerResponse) => void>();
  private readonly process: NsProcess;
  private exited: string | null = null;

  constructor(ns: string) {
    this.process = startInNamespace(ns, "runner", nodeCommand("runner/ns-runner.js"));
    this.process.onMessage((message) => {
      const response = message as unknown as RunnerResponse;
      this.pending.get(response.id)?.(response);
      this.pending.delete(response.id);
    });
    this.process.child.once("exit", (code, signal) => {
      this.exited = `runner exited (${signal ?? `code ${code}`}) ${this.process.stderrTail()}`;
      for (const settle of this.pending.values()) settle({ id: 0, op: "error", message: this.exited });
      this.pending.clear();
    });
  }

  private request(request: WithoutId<RunnerRequest>): Promise<RunnerResponse> {
    if (this.exited !== null) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.process.child.stdin?.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  async run(shell: string, options: RunOptions = {}): Promise<RunResult> {
    const response = await this.request({ op: "run", shell, ...options });
    if (response.op !== "run") throw new Error(response.op === "error" ? response.message : "bad answer");
    return response;
  }

  async count(): Promise<CountResult> {
    const response = await this.request({ op: "count" });
    if (response.op !== "count") throw new Error(response.op === "error" ? response.message : "bad answer");
    return response;
  }

  async http(request: Omit<Extract<RunnerRequest, { op: "http" }>, "id" | "op">): Promise<HttpResult> {
    const response = await this.request({ op: "http", ...request });
    if (response.op !== "http") throw new Error(response.op === "error" ? response.message : "bad answer");
    return response;
  }

  close(): void {
    this.process.child.stdin?.end();
  }
}
