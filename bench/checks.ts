/**
 * @module Checks sockdoc's output against the sockets counted in the
 * namespace (pure), so a fast but wrong answer does not pass as a result.
 */
import type { BenchCommand } from "./commands.js";
import type { StateCounts } from "./load/counts.js";

/** The `states` object of a summary, top-level or one level down. */
function findStates(json: unknown): Record<string, unknown> | null {
  if (typeof json !== "object" || json === null) return null;
  const record = json as Record<string, unknown>;
  if (typeof record.states === "object" && record.states !== null)
    return record.states as Record<string, unknown>;
  for (const value of Object.values(record)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const inner = (value as Record<string, unknown>).states;
      if (typeof inner === "object" && inner !== null) return inner as Record<string, unknown>;
    }
  }
  return null;
}

/** `summary --json` must give each state within 2% of the counted number. */
export function checkSummary(stdout: string, counts: StateCounts): string | null {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return "output is not JSON";
  }
  const states = findStates(json);
  if (states === null) return 'no "states" object in the JSON';
  return compareStates(states, counts);
}

/** Each counted state within 2% (or 5 sockets) of the output's number for it. */
function compareStates(states: Record<string, unknown>, counts: StateCounts): string | null {
  const wrong: string[] = [];
  for (const [name, want] of Object.entries(counts)) {
    const got = Number(states[name] ?? 0);
    if (Math.abs(got - want) > Math.max(5, want * 0.02)) wrong.push(`${name} ${got} (counted ${want})`);
  }
  return wrong.length === 0 ? null : `wrong counts: ${wrong.join(", ")}`;
}

/**
 * A scrape's per-state samples (`metric{state="time_wait"} 123`, any label
 * order) must give each counted state within 2%, as summary --json must.
 */
export function checkPrometheusStates(text: string, metric: string, counts: StateCounts): string | null {
  const states: Record<string, number> = {};
  const sample = new RegExp(`^${metric}\\{[^}]*\\bstate="([a-z_0-9]+)"[^}]*\\} (\\S+)$`);
  for (const line of text.split("\n")) {
    const m = sample.exec(line);
    if (m) states[m[1]!.toUpperCase()] = Number(m[2]);
  }
  if (Object.keys(states).length === 0) return `no ${metric} samples in the scrape`;
  return compareStates(states, counts);
}

export function checkOutput(command: BenchCommand, stdout: string, counts: StateCounts): string | null {
  if (command.check === "summary-json") return checkSummary(stdout, counts);
  return null;
}
