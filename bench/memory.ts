/**
 * @module Peak RSS of every command in MEMORY_COMMANDS at the built load: one
 * run each under GNU time, TIME_WAIT re-made when a run could outlast its
 * 60 s window, the load counted before, the destructive kill last.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
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
  progress(`peak RSS: ${ordered.length} commands, one run each`);
  try {
    for (const command of ordered) {
      const shell = expand(command.shell).replaceAll("{audit}", audit);
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
  }
  return { rows, problems: before.problems };
}
