/**
 * @module Compiles the C TIME_WAIT maker (time-wait-maker.cc) with g++ at
 * bench time. It makes TIME_WAIT about 8x faster than the Node worker, which
 * matters because every re-make eats into the 60 s TIME_WAIT window; without
 * g++ the bench falls back to the Node worker and says so.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIST, REPO_ROOT } from "../ns-process.js";

const SOURCE = join(REPO_ROOT, "bench", "load", "time-wait-maker.cc");
const BINARY = join(BENCH_DIST, "load", "time-wait-maker");

export type NativeMaker = { path: string } | { path: null; why: string };

let built: NativeMaker | null = null;

/** Compiled once per bench (and only when the source is newer than the binary). */
export function nativeMaker(): NativeMaker {
  built ??= buildNativeMaker();
  return built;
}

function buildNativeMaker(): NativeMaker {
  if (!existsSync(SOURCE)) return { path: null, why: `${SOURCE} missing` };
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return { path: BINARY };
  const result = spawnSync("g++", ["-O2", "-Wall", "-o", BINARY, SOURCE], { encoding: "utf8" });
  if (result.error) return { path: null, why: `g++ not found (${result.error.message})` };
  if (result.status !== 0) return { path: null, why: `g++ failed: ${result.stderr.trim().split("\n")[0]}` };
  return { path: BINARY };
}
