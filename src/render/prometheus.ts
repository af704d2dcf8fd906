/**
 * @module Prometheus text exposition format (version 0.0.4): metric families
 * with HELP and TYPE lines, label values escaped. Pure.
 */

export interface Sample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  /** snake_case, prefixed sockdoc_. */
  name: string;
  help: string;
  type: "gauge" | "counter";
  samples: Sample[];
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** In a label value: backslash, double quote and newline are escaped. */
function labelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** In HELP text: backslash and newline are escaped. */
function helpText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

export function renderPrometheus(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${helpText(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${labelValue(v)}"`).join(",")}}` : "";
      out.push(`${f.name}${text} ${number(s.value)}`);
    }
  }
  return `${out.join("\n")}\n`;
}
