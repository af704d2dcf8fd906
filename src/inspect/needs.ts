/**
 * @module One read plan for many analyses: the union of what each needs.
 */
import type { Needs } from "./analysis.js";

export function mergeNeeds(all: readonly Needs[]): Needs {
  let states = 0;
  const sysctls = new Set<string>();
  let counters = false;
  let owners = false;
  let processes: Needs["processes"];
  for (const n of all) {
    states |= n.states;
    for (const name of n.sysctls ?? []) sysctls.add(name);
    counters ||= Boolean(n.counters);
    owners ||= Boolean(n.owners);
    if (n.processes) processes = { threads: (processes?.threads ?? false) || n.processes.threads };
  }
  return { states, sysctls: [...sysctls], counters, owners, ...(processes ? { processes } : {}) };
}
