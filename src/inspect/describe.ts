/**
 * @module One line about an inspection for --debug: what read its sockets
 * (and why not the BPF tcp iterator, when it could have), how many dump requests
 * it sent, how long the shared read took, and each analysis's time and
 * outcome (as node_exporter logs its collectors).
 */
import type { OwnersVia } from "../sources/owners.js";
import type { Inspection } from "./inspect.js";

const OWNERS_VIA: Record<OwnersVia, string> = {
  bpf: "the BPF fd iterator",
  walk: "the /proc fd walk",
  js: "the /proc fd walk in JavaScript",
};

export function describeInspection(inspection: Inspection): string {
  const analyses = [...inspection.outcomes]
    .map(([name, o]) => `${name} ${o.ok ? "ok" : "FAILED"} ${o.durationMs.toFixed(1)} ms`)
    .join(", ");
  const { dumps, tallied, readMs, gatherMs, ownersVia, ownersNote, socketsNote, totalMs } = inspection.stats;
  const owners = ownersVia
    ? `, owners by ${OWNERS_VIA[ownersVia]}${ownersNote ? ` (not the BPF fd iterator: ${ownersNote})` : ""}`
    : "";
  return (
    `inspection of ${inspection.facts.source.detail}` +
    (socketsNote ? ` (not the BPF tcp iterator: ${socketsNote})` : "") +
    `: ${dumps} dump request${dumps === 1 ? "" : "s"}, ` +
    (tallied > 0 ? `${tallied} socket${tallied === 1 ? "" : "s"} tallied by the addon, ` : "") +
    `read ${readMs.toFixed(1)} ms (owners and processes ${gatherMs.toFixed(1)} ms${owners}), ` +
    `total ${totalMs.toFixed(1)} ms; ${analyses}`
  );
}
