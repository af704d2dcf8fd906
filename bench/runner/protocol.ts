/**
 * @module Requests to the runner that lives inside the bench namespace, and
 * its answers (one JSON object per line each way).
 */
import type { StateCounts } from "../load/counts.js";

export type RunnerRequest =
  | {
      id: number;
      op: "run";
      /** A shell command line, run with sh -c. */
      shell: string;
      /** Also report peak RSS, via /usr/bin/time. */
      rss?: boolean;
      /** Return stdout (for commands whose output the bench checks). */
      capture?: boolean;
    }
  | { id: number; op: "count" }
  | {
      id: number;
      op: "http";
      /** get: one GET; during: GET url, then otherUrl while it runs; concurrent: count GETs at once. */
      mode: "get" | "during" | "concurrent";
      url: string;
      otherUrl?: string;
      count?: number;
      /** get: return the body. */
      keepBody?: boolean;
    };

export interface HttpAnswer {
  /** Wall time from the request to the last byte; 0 status when no answer came. */
  ms: number;
  /** When it ended, on the runner's clock (ms), to tell which answer came first. */
  endMs: number;
  status: number;
  bytes: number;
  body?: string;
  error?: string;
}

export interface HttpResult {
  answers: HttpAnswer[];
}

export interface RunResult {
  /** Wall time from spawn until the process exited and its output was drained. */
  ms: number;
  code: number | null;
  signal: string | null;
  bytes: number;
  lines: number;
  /** The start of stderr, for the failure note. */
  stderr: string;
  /** Peak RSS in KiB of the largest process in the command, when asked and known. */
  rssKb?: number;
  stdout?: string;
}

export interface CountResult {
  states: StateCounts;
  sockstat: Record<string, number>;
}

export type RunnerResponse =
  | ({ id: number; op: "run" } & RunResult)
  | ({ id: number; op: "count" } & CountResult)
  | ({ id: number; op: "http" } & HttpResult)
  | { id: number; op: "error"; message: string };

export const GNU_TIME = "/usr/bin/time";
