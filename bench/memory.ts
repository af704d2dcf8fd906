/**
 * @module Peak RSS of every command in MEMORY_COMMANDS at the built load: one
 * run each under GNU time, TIME_WAIT re-made when a run could outlast its
 * 60 s window, the load counted before, the destructive kill last; the
 * commands that read a generated capture with it (captures.ts writes it).
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type CaptureKind, removeCapture, writeCapture } from "./captures.js";
import type { MemoryCommand } from "./commands.js";
import { checkLoad, makeTimeWait, TIME_WAIT_MS } from "./load/build.js";
import { progress } from "./progress.js";
import type { Session } from "./session.js";
import { expand } from "./tasks.js";

export interface MemoryRow {
  label: string;
  shell: string;
  status: "ok" | "failed" | "skipped";
  note?: string;
  rssKb?: number;
  /** Size of the generated capture the command read (captures only). */
  captureBytes?: number;
}

export interface MemoryResult {
  rows: MemoryRow[];
  /** Load problems seen before the runs. */
  problems: string[];
}

/** Room for one command's run inside the TIME_WAIT window. */
const RUN_ROOM_MS = 20_000;

export async function runMemory(
  session: Session,
  commands: readonly MemoryCommand[],
  keep: boolean,
): Promise<MemoryResult> {
  const { load, runner } = session;
  const audit = join(tmpdir(), `sockdoc-bench-audit-${process.pid}.log`);
  const before = await checkLoad(load, runner);
  const rows: MemoryRow[] = [];
  const ordered = [...commands.filter((c) => !c.destructive), ...commands.filter((c) => c.destructive)];
  // The captures are written once, when the first command that reads one comes.
  const captures = new Map<CaptureKind, { path: string; bytes: number }>();
  progress(`peak RSS: ${ordered.length} commands, one run each`);
  try {
    for (const command of ordered) {
      let shell = expand(command.shell).replaceAll("{audit}", audit);
      let capture: { path: string; bytes: number } | undefined;
      if (command.capture) {
        capture = captures.get(command.capture);
        if (!capture) {
          progress(`writing a ${command.capture} capture of a million rows`);
          capture = writeCapture(command.capture);
          captures.set(command.capture, capture);
        }
        shell = shell.replaceAll("{capture}", capture.path);
      }
      if (command.destructive && keep) {
        rows.push({
          label: command.label,
          shell,
          status: "skipped",
          note: "--keep leaves the load as built",
        });
        continue;
      }
      if (load.mix.tw > 0 && performance.now() - load.timeWaitStartedAt + RUN_ROOM_MS > TIME_WAIT_MS) {
        await makeTimeWait(load, runner);
      }
      const result = await runner.run(shell, { rss: true });
      const row: MemoryRow = { label: command.label, shell, status: "ok" };
      if (capture) row.captureBytes = capture.bytes;
      if (result.rssKb !== undefined) row.rssKb = result.rssKb;
      if (result.code !== 0 || result.signal !== null) {
        row.status = "failed";
        const line = result.stderr.split("\n").find((l) => l.trim() !== "") ?? "";
        row.note = `${result.signal ? `killed by ${result.signal}` : `exit ${result.code}`}: ${line.trim().slice(0, 200)}`;
      }
      rows.push(row);
    }
  } finally {
    rmSync(audit, { force: true });
    for (const c of captures.values()) removeCapture(c.path);
  }
  return { rows, problems: before.problems };
}
