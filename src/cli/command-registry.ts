/**
 * @module Every command, by name, loaded on demand: running `sockdoc
 * summary` loads summary's modules and not closewait's, which keeps start-up
 * short; help loads them all so it can list them.
 */
import type { Command } from "commander";

export const DEFAULT_COMMAND = "diagnose";

export const COMMANDS: Record<string, () => Promise<Command>> = {
  diagnose: async () => (await import("./commands/diagnose.js")).diagnoseCommand(),
  summary: async () => (await import("./commands/summary.js")).summaryCommand(),
  ls: async () => (await import("./commands/ls.js")).lsCommand(),
  closewait: async () => (await import("./commands/closewait.js")).closewaitCommand(),
  timewait: async () => (await import("./commands/timewait.js")).timewaitCommand(),
  kill: async () => (await import("./commands/kill.js")).killCommand(),
  metrics: async () => (await import("./commands/metrics.js")).metricsCommand(),
  lab: async () => (await import("./commands/lab.js")).labCommand(),
  tune: async () => (await import("./commands/tune.js")).tuneCommand(),
  watch: async () => (await import("./commands/watch.js")).watchCommand(),
  history: async () => (await import("./commands/history.js")).historyCommand(),
  trace: async () => (await import("./commands/trace.js")).traceCommand(),
};

/**
 * The commands argv (without node and script) needs: the one it names, the
 * default when it names none, or all of them for help and unknown words (so
 * commander can list them or suggest the right one).
 */
export function commandsToLoad(args: readonly string[]): string[] {
  const first = args.find((a) => !a.startsWith("-"));
  const wantsHelp = args.includes("-h") || args.includes("--help");
  if (first === undefined) return wantsHelp ? Object.keys(COMMANDS) : [DEFAULT_COMMAND];
  if (first in COMMANDS && !(wantsHelp && first === "help")) return [first];
  return Object.keys(COMMANDS);
}
