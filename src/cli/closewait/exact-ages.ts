/**
 * @module closewait's exact ages: when a watcher runs its BPF tracer on the
 * history database (--db, else the default path), the time each CLOSE_WAIT
 * socket of this run entered CLOSE_WAIT; null when there is no such watcher.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { type SocketAge, socketAges } from "../../analysis/close-wait/exact-ages.js";
import type { CloseWaitResult } from "../../inspect/analyses/close-wait.js";
import type { Analysis } from "../../inspect/analysis.js";
import { type Inspection, resultOrNull } from "../../inspect/inspect.js";
import type { Scope } from "../../inspect/scope.js";
import { parseNsLink } from "../../sources/netns/discover.js";
import { ProcFs } from "../../sources/procfs.js";
import { readExactEntries, tupleText } from "../../store/close-wait-entries.js";
import { openForReading } from "../../store/open.js";
import { defaultDbPath } from "../../store/paths.js";

export interface ExactAgeSection {
  ages: SocketAge[];
  watcherPid: number;
  since: number;
}

export function exactAgesOf(
  round: readonly Inspection[],
  analysisFor: (s: Scope) => Analysis<CloseWaitResult>,
  dbOption: string | undefined,
): ExactAgeSection | null {
  const file = dbOption ?? defaultDbPath(process.env, process.geteuid?.() ?? 0, homedir());
  if (!existsSync(file)) return null;
  const proc = new ProcFs();
  const db = openForReading(file);
  try {
    const now = Date.now();
    const entries = readExactEntries(db, now, (pid) => existsSync(proc.path(pid)));
    if (!entries) return null;
    const own = parseNsLink(proc.tryReadlink("self", "ns", "net") ?? "") ?? 0;
    const namespaces = round
      .filter((i) => i.scope.kind === "host")
      .map((i) => ({
        netns: i.scope.kind === "host" && i.scope.netns ? i.scope.netns.ref.inode : own,
        sockets: resultOrNull(i, analysisFor(i.scope))?.sockets ?? [],
      }));
    const ages = socketAges(
      namespaces,
      { since: entries.tracer.since, enteredAt: entries.enteredAt },
      (s) => tupleText(s.family, s.local.address, s.local.port, s.remote.address, s.remote.port),
      now,
    );
    return { ages, watcherPid: entries.tracer.pid, since: entries.tracer.since };
  } finally {
    db.close();
  }
}
