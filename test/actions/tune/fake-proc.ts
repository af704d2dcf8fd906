/**
 * Test helper: a temp dir standing in for /proc (values under sys/), and an
 * in-memory journal.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { JournalSink } from "../../../src/actions/tune/execute.js";
import type { BatchContext, JournalRecord } from "../../../src/actions/tune/types.js";
import { sysctlPath } from "../../../src/sources/sysctl.js";

export function fakeProc(values: Record<string, string>): { root: string; value: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), "sockdoc-tune-proc-"));
  for (const [name, value] of Object.entries(values)) {
    const path = join(root, ...sysctlPath(name));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${value}\n`);
  }
  return { root, value: (name) => readFileSync(join(root, ...sysctlPath(name)), "utf8").trim() };
}

export class MemoryJournal implements JournalSink {
  records: JournalRecord[] = [];
  append(record: JournalRecord): void {
    // A copy, as a file would hold it.
    this.records.push(JSON.parse(JSON.stringify(record)) as JournalRecord);
  }
}

export function context(batch = "20250102T030405Z-abcd", netns: string | null = "net:[1]"): BatchContext {
  return {
    batch,
    time: new Date("2025-01-02T03:04:05.000Z"),
    host: "web1",
    user: { uid: 0, name: "root", sudoUser: "alice" },
    where: "/proc/sys",
    netns,
  };
}
