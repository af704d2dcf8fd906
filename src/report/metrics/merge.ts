/**
 * @module Several scopes' metric families as one exposition: each family once
 * (its first HELP and TYPE), with the samples of every scope; a sample whose
 * labels are already there (sockdoc_build_info, the same in every scope) once.
 */
import type { MetricFamily } from "../../render/prometheus.js";

const labelKey = (labels: Readonly<Record<string, string>> | undefined): string =>
  JSON.stringify(Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function mergeFamilies(lists: ReadonlyArray<readonly MetricFamily[]>): MetricFamily[] {
  const byName = new Map<string, { family: MetricFamily; seen: Set<string> }>();
  for (const list of lists) {
    for (const family of list) {
      let entry = byName.get(family.name);
      if (!entry) {
        entry = { family: { ...family, samples: [] }, seen: new Set() };
        byName.set(family.name, entry);
      }
      for (const sample of family.samples) {
        const key = labelKey(sample.labels);
        if (entry.seen.has(key)) continue;
        entry.seen.add(key);
        entry.family.samples.push(sample);
      }
    }
  }
  return [...byName.values()].map((e) => e.family);
}
