/**
 * @module The JSON envelope (schema, host, source, warnings) for the tune
 * subcommands that read no sockets: their source is sysctl files, not a
 * snapshot, so render/envelope.ts's snapshot form does not fit.
 */
import { type Envelope, SCHEMA_VERSION } from "../../render/envelope.js";

export function tuneEnvelope(
  command: string,
  host: { hostname: string | null; kernel: string | null },
  source: { kind: string; detail: string },
  warnings: readonly string[],
): Envelope {
  return {
    schema: `sockdoc.${command}/v${SCHEMA_VERSION}`,
    host: { hostname: host.hostname ?? "unknown", kernel: host.kernel },
    source,
    takenAt: new Date().toISOString(),
    warnings: [...warnings],
  };
}
