/**
 * @module Test helper: the shared real captures and the facts their README
 * states for each (format, TCP count, per-state counts), read from the README
 * itself so the tests check what was checked by hand there.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/run.js";

export const capturesDir = join(repoRoot, "..", "shared", "captures");

export interface CaptureFacts {
  format: string;
  total: number;
  states: Record<string, number>;
}

/** Every capture file (README.md aside). */
export function captureNames(): string[] {
  return readdirSync(capturesDir)
    .filter((n) => n !== "README.md")
    .sort();
}

export function captureText(name: string): string {
  return readFileSync(join(capturesDir, name), "utf8");
}

/** "## name" sections with their "- format:" and "- TCP sockets: N; states: A 1, B 2" lines. */
export function readmeFacts(): Map<string, CaptureFacts> {
  const out = new Map<string, CaptureFacts>();
  const readme = readFileSync(join(capturesDir, "README.md"), "utf8");
  for (const section of readme.split(/^## /m).slice(1)) {
    const name = section.split("\n", 1)[0]!.trim();
    const format = /^- format: ([\w-]+)/m.exec(section)?.[1];
    const counts = /^- TCP sockets: (\d+); states: (.*)$/m.exec(section);
    if (!format || !counts) continue;
    const states: Record<string, number> = {};
    for (const part of counts[2]!.split(",")) {
      const [state, n] = part.trim().split(/\s+/);
      states[state!] = Number(n);
    }
    out.set(name, { format, total: Number(counts[1]), states });
  }
  return out;
}
