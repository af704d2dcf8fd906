/**
 * @module The events of a sample, told from what the detector remembered of
 * the previous one (pure): a process starts leaking (its first CLOSE_WAIT),
 * stops, a leaking program restarts (same comm and cmdline, new pid), a
 * TIME_WAIT destination crosses warning or critical, a setting changes.
 */
import { severityRank } from "../model/severity.js";
import type { NamespaceSample } from "./sample.js";

export type EventKind =
  "leak-start" | "leak-end" | "leak-restart" | "timewait-warning" | "timewait-critical" | "setting";

export interface StoreEvent {
  at: number;
  netns: string;
  kind: EventKind;
  text: string;
}

/** Per namespace, kept between samples (and in the db across restarts). */
export interface DetectorState {
  /** pid -> "comm\0cmdline" of every process holding CLOSE_WAIT at the last sample. */
  leakers: Record<string, string>;
  /** Programs that stopped leaking (or exited): identity -> their last pid; bounded. */
  gone: Record<string, number>;
  /** "local remote" -> severity at the last sample (warning and critical only). */
  destinations: Record<string, string>;
  /** null until the first sample with known sysctls. */
  sysctls: Record<string, string> | null;
}

export const MAX_GONE = 200;

export function emptyState(): DetectorState {
  return { leakers: {}, gone: {}, destinations: {}, sysctls: null };
}

function who(comm: string | null, pid: number): string {
  return `${comm ?? "?"} (pid ${pid})`;
}

export function detectEvents(
  previous: DetectorState,
  s: NamespaceSample,
): { events: StoreEvent[]; next: DetectorState } {
  const events: StoreEvent[] = [];
  const add = (kind: EventKind, text: string) => events.push({ at: s.at, netns: s.netns, kind, text });

  // CLOSE_WAIT holders now: pid -> identity, count, ports.
  const now = new Map<number, { identity: string; comm: string | null; count: number; ports: Set<string> }>();
  for (const g of s.closeWait) {
    if (g.pid === null || g.count <= 0) continue;
    let h = now.get(g.pid);
    if (!h)
      now.set(
        g.pid,
        (h = { identity: `${g.comm ?? ""}\0${g.cmdline ?? ""}`, comm: g.comm, count: 0, ports: new Set() }),
      );
    h.count += g.count;
    h.ports.add(
      g.localPort !== null ? `port ${g.localPort}` : g.peerPort !== null ? `to port ${g.peerPort}` : "",
    );
  }
  const gone = { ...previous.gone };
  for (const [pidText, identity] of Object.entries(previous.leakers)) {
    if (now.has(Number(pidText))) continue;
    add(
      "leak-end",
      `${who(identity.split("\0")[0] || null, Number(pidText))} holds no CLOSE_WAIT socket any more`,
    );
    gone[identity] = Number(pidText);
  }
  const leakers: Record<string, string> = {};
  for (const [pid, h] of now) {
    leakers[pid] = h.identity;
    if (previous.leakers[pid] === h.identity) continue;
    const ports = [...h.ports].filter(Boolean).join(", ");
    const where = ports ? ` (${ports})` : "";
    const before =
      gone[h.identity] ??
      Object.entries(previous.leakers).find(([p, i]) => i === h.identity && !now.has(Number(p)))?.[0];
    if (before !== undefined && Number(before) !== pid) {
      add(
        "leak-restart",
        `${h.comm ?? "?"} restarted (pid ${before} → ${pid}) and holds ${h.count} CLOSE_WAIT${where}`,
      );
      delete gone[h.identity];
    } else {
      add("leak-start", `${who(h.comm, pid)} starts holding CLOSE_WAIT: ${h.count}${where}`);
    }
  }
  // Bounded: the oldest forgotten first (insertion order).
  const goneKeys = Object.keys(gone);
  for (const k of goneKeys.slice(0, Math.max(0, goneKeys.length - MAX_GONE))) delete gone[k];

  const destinations: Record<string, string> = {};
  for (const d of s.timeWait) {
    if (d.severity !== "warning" && d.severity !== "critical") continue;
    const key = `${d.local} ${d.remote}`;
    destinations[key] = d.severity;
    const was = previous.destinations[key] ?? "none";
    if (severityRank(d.severity) <= severityRank(was as "none")) continue;
    const left = d.portsLeft === null ? "" : `, ${d.portsLeft} ports left`;
    const rate = d.ratePerSec === null ? "" : `, ${d.ratePerSec.toFixed(1)}/s`;
    const eta = d.exhaustedInSec === null ? "" : `, exhausted in ${Math.round(d.exhaustedInSec)} s`;
    add(
      `timewait-${d.severity}`,
      `TIME_WAIT ${d.local} → ${d.remote} is ${d.severity}: ${d.count} sockets${left}${rate}${eta}`,
    );
  }

  let sysctls = previous.sysctls;
  if (s.sysctls) {
    if (previous.sysctls) {
      const names = new Set([...Object.keys(previous.sysctls), ...Object.keys(s.sysctls)]);
      for (const name of [...names].sort()) {
        const a = previous.sysctls[name];
        const b = s.sysctls[name];
        if (a !== b) add("setting", `${name}: ${a ?? "(unset)"} → ${b ?? "(unset)"}`);
      }
    }
    sysctls = { ...s.sysctls };
  }
  return { events, next: { leakers, gone, destinations, sysctls } };
}
