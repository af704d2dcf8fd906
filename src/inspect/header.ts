/**
 * @module The inspection as the header every JSON document starts with
 * (render/envelope.ts): host, source, time, warnings.
 */
import type { Snapshot } from "../model/snapshot.js";
import type { Inspection } from "./inspect.js";

export type InspectionHeader = Omit<Snapshot, "sockets">;

export function headerOf(inspection: Inspection, extraWarnings: readonly string[] = []): InspectionHeader {
  return {
    host: inspection.facts.host,
    source: inspection.facts.source,
    takenAt: inspection.facts.takenAt,
    ownersResolved: inspection.ownersResolved,
    warnings: [...inspection.warnings, ...extraWarnings],
  };
}
