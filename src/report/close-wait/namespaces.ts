/**
 * @module The CLOSE_WAIT report over several network namespaces: the
 * namespaces with findings ranked worst first, each under a heading that
 * names it and its container; JSON groups and processes carry their netns.
 */
import type { CloseWaitReport } from "../../analysis/close-wait/report.js";
import { maxSeverity, severityRank } from "../../analysis/close-wait/severity.js";
import type { Inspection } from "../../inspect/inspect.js";
import type { NetnsRef } from "../../model/netns.js";
import { netnsLabel } from "../netns.js";
import { wrap } from "../wrap.js";
import { groupJson } from "./json.js";
import { closeWaitText } from "./text.js";

export interface NamespaceReport {
  netns: NetnsRef;
  /** How `--netns` reaches it: its ip netns name, else a path; null for sockdoc's own (no --netns needed). */
  enter: string | null;
  report: CloseWaitReport;
}

/** Worst first, then most sockets: the namespace to look at first leads. */
export function rankNamespaces(parts: readonly NamespaceReport[]): NamespaceReport[] {
  const rank = (p: NamespaceReport) => (p.report.severity === "none" ? -1 : severityRank(p.report.severity));
  return parts
    .filter((p) => p.report.total > 0)
    .sort((a, b) => rank(b) - rank(a) || b.report.total - a.report.total);
}

/** The remedies' sockdoc kill lines run in the namespace: --netns added. */
export function inNamespace(report: CloseWaitReport, enter: string | null): CloseWaitReport {
  if (enter === null) return report;
  const arg = /^[\w.@:/-]+$/.test(enter) ? enter : `'${enter.replaceAll("'", `'\\''`)}'`;
  return {
    ...report,
    groups: report.groups.map((g) => ({
      ...g,
      remedies: g.remedies.map((r) => ({
        ...r,
        command: r.command?.replace(/^sockdoc kill /, `sockdoc kill --netns ${arg} `) ?? null,
      })),
    })),
  };
}

export function namespacesHeadline(parts: readonly NamespaceReport[], scanned: number): string {
  const withCw = rankNamespaces(parts);
  const total = withCw.reduce((n, p) => n + p.report.total, 0);
  if (total === 0) return `CLOSE_WAIT: none in ${scanned} network namespace${scanned === 1 ? "" : "s"}.`;
  const worst = maxSeverity(withCw.map((p) => p.report.severity).filter((s) => s !== "none"));
  return (
    `CLOSE_WAIT: ${total} socket${total === 1 ? "" : "s"} in ${withCw.length} of ${scanned} network namespaces; ` +
    `worst: ${worst}. They never time out: each waits for its application to call close().`
  );
}

function heading(p: NamespaceReport, width: number): string {
  const c = p.netns.container;
  if (p.enter === null && !c && !p.netns.name) {
    const line = `== this host's namespace (net:[${p.netns.inode}]) `;
    return line.padEnd(width, "=");
  }
  const what = c
    ? `${c.runtime} container ${c.name ?? c.id.slice(0, 12)}${c.pod ? ` in pod ${c.pod.namespace ? `${c.pod.namespace}/` : ""}${c.pod.name ?? c.pod.uid}` : ""}`
    : p.netns.name
      ? `ip netns ${p.netns.name}`
      : "no container";
  const line = `== namespace ${netnsLabel(p.netns)} (net:[${p.netns.inode}], ${what}) `;
  return line.length >= width ? line.trimEnd() : line.padEnd(width, "=");
}

export function namespacesText(parts: readonly NamespaceReport[], scanned: number, width: number): string {
  const w = Math.max(60, Math.min(width || 80, 100));
  const out = [wrap(namespacesHeadline(parts, scanned), w).join("\n")];
  for (const p of rankNamespaces(parts)) {
    out.push(`${heading(p, w)}\n${closeWaitText(inNamespace(p.report, p.enter), w)}`);
  }
  return out.join("\n\n");
}

/** groups and processes of every namespace, each with its netns; worst namespaces first. */
export function namespacesJson(parts: readonly NamespaceReport[]) {
  const ranked = rankNamespaces(parts);
  const { total, severity } = combined(parts);
  return {
    total,
    severity,
    groups: ranked.flatMap((p) =>
      inNamespace(p.report, p.enter).groups.map((g) => ({ ...groupJson(g), netns: p.netns })),
    ),
    processes: ranked.flatMap((p) => p.report.processes.map((proc) => ({ ...proc, netns: p.netns }))),
  };
}

/**
 * Each inspected namespace's report (a namespace that could not be read is
 * a warning already, and left out). Its --netns is its ip netns name, else
 * its path; none for the namespace sockdoc runs in.
 */
export function namespaceParts(
  round: readonly Inspection[],
  reportOf: (inspection: Inspection) => CloseWaitReport | null,
): NamespaceReport[] {
  const parts: NamespaceReport[] = [];
  for (const inspection of round) {
    const report = reportOf(inspection);
    const scope = inspection.scope;
    if (!report || scope.kind !== "host" || !scope.netns) continue;
    const { ref, own, path } = scope.netns;
    parts.push({ netns: ref, enter: own ? null : (ref.name ?? path), report });
  }
  return parts;
}

/** Every namespace's report as one: the groups and processes of all, worst namespace first. */
export function combined(parts: readonly NamespaceReport[]): CloseWaitReport {
  const ranked = rankNamespaces(parts);
  const severities = ranked.map((p) => p.report.severity).filter((s) => s !== "none");
  return {
    total: ranked.reduce((n, p) => n + p.report.total, 0),
    severity: severities.length ? maxSeverity(severities) : "none",
    groups: ranked.flatMap((p) => p.report.groups),
    processes: ranked.flatMap((p) => p.report.processes),
  };
}
