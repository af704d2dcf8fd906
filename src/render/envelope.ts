/**
 * @module The fields every command's JSON starts with: schema, host, source,
 * warnings. The schema string names the command and its version so scripts
 * can check what they parse.
 */
import type { Snapshot } from "../model/snapshot.js";

export const SCHEMA_VERSION = 1;

export interface Envelope {
  schema: string;
  host: { hostname: string; kernel: string | null };
  source: { kind: string; detail: string };
  takenAt: string;
  warnings: string[];
}

export function envelope(
  command: string,
  snapshot: Omit<Snapshot, "sockets">,
  extraWarnings: string[] = [],
): Envelope {
  return {
    schema: `sockdoc.${command}/v${SCHEMA_VERSION}`,
    host: { hostname: snapshot.host.hostname, kernel: snapshot.host.kernel },
    source: { kind: snapshot.source.kind, detail: snapshot.source.detail },
    takenAt: new Date(snapshot.takenAt).toISOString(),
    warnings: [...snapshot.warnings, ...extraWarnings],
  };
}
