/**
 * @module A capture of several hosts (a `sos collect` archive): the command
 * runs once per host, each time on that host's snapshot. The scope code
 * (common.ts) meets the capture first: it throws ManyHostsCapture, and the
 * entry (main.ts) runs the command again for each host through
 * runEachHost, the host's snapshot handed over by hostOverride(). Text gets
 * a heading per host; --json one document, {schema, source, takenAt,
 * warnings, hosts: [each host's own document]}; ndjson each host's
 * document on its own line. A capture of one host reads as before.
 */
import type { Snapshot } from "../model/snapshot.js";
import { UsageError } from "../model/errors.js";
import { emit, emitJson } from "../render/output.js";

export class ManyHostsCapture extends Error {
  constructor(
    readonly path: string,
    readonly hosts: Snapshot[],
  ) {
    super(`${path} holds ${hosts.length} hosts`);
  }
}

let override: Snapshot | null = null;

/** The host the command runs on now, when a capture of several hosts is being read. */
export function hostOverride(): Snapshot | null {
  return override;
}

type Mode = "table" | "json" | "ndjson" | "csv";

/** The output form asked for, from the words of the command line. */
function modeOf(argv: readonly string[]): Mode {
  let mode: Mode = "table";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") return "json";
    const value = a === "--format" ? argv[i + 1] : a.startsWith("--format=") ? a.slice(9) : undefined;
    if (value === "json" || value === "ndjson" || value === "csv") mode = value;
  }
  return mode;
}

/** Runs the command once per host (run parses argv afresh); returns the worst exit code. */
export async function runEachHost(
  many: ManyHostsCapture,
  argv: readonly string[],
  run: () => Promise<void>,
): Promise<number> {
  const mode = modeOf(argv);
  if (mode === "csv") {
    throw new UsageError(
      `${many.path} holds ${many.hosts.length} hosts' reports: CSV has no place to say which host; use the table, --json or --format ndjson`,
    );
  }
  const docs: unknown[] = [];
  let worst = 0;
  const write = process.stdout.write.bind(process.stdout);
  try {
    for (const [i, host] of many.hosts.entries()) {
      override = host;
      process.exitCode = undefined;
      if (mode === "table")
        emit(`${i > 0 ? "\n" : ""}== host ${host.host.hostname} (${i + 1} of ${many.hosts.length}) ==`);
      let text = "";
      if (mode === "json") {
        process.stdout.write = ((chunk: string | Uint8Array) => {
          text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
          return true;
        }) as typeof process.stdout.write;
      }
      try {
        await run();
      } finally {
        process.stdout.write = write;
      }
      if (mode === "json") docs.push(JSON.parse(text));
      worst = Math.max(worst, Number(process.exitCode ?? 0));
    }
  } finally {
    override = null;
  }
  if (mode === "json") {
    const first = docs[0] as { schema?: string } | undefined;
    const times = many.hosts.map((h) => h.takenAt);
    emitJson({
      schema: first?.schema ?? null,
      source: { kind: "capture", detail: `sos collect: ${many.path} (${many.hosts.length} hosts)` },
      takenAt: new Date(Math.max(...times)).toISOString(),
      warnings: [],
      hosts: docs,
    });
  }
  return worst;
}
