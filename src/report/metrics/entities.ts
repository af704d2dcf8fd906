/**
 * @module Per-entity families (one series per destination, process or
 * listener) stay bounded: the first `top` entities are exported and the
 * number left out is a gauge of its own, so a scrape's series count does
 * not follow the host's peers. Every per-entity sample carries the scope's
 * labels first: empty for this host today; the network namespace and
 * container labels of other scopes go there.
 */
import type { MetricFamily, Sample } from "../../render/prometheus.js";

export type Labels = Readonly<Record<string, string>>;

/** The first `top` of entities (already in order) and how many were left out. */
export function capped<T>(entities: readonly T[], top: number): { kept: T[]; leftOut: number } {
  const kept = entities.slice(0, top);
  return { kept, leftOut: entities.length - kept.length };
}

/** One gauge family, a sample per entity whose value is not null. */
export function perEntity<T>(
  name: string,
  help: string,
  entities: readonly T[],
  labels: (e: T) => Labels,
  value: (e: T) => number | null,
): MetricFamily {
  const samples: Sample[] = [];
  for (const e of entities) {
    const v = value(e);
    if (v !== null) samples.push({ labels: labels(e), value: v });
  }
  return { name, help, type: "gauge", samples };
}

export function leftOutFamily(name: string, what: string, leftOut: number, scope: Labels): MetricFamily {
  return {
    name,
    help: `${what} not exported because of --top (the most significant are kept).`,
    type: "gauge",
    samples: [{ labels: scope, value: leftOut }],
  };
}
