/**
 * @module `history` as text for an 80-column terminal: the window, the
 * CLOSE_WAIT groups (first seen, peak, now), the TIME_WAIT peaks per
 * destination, the events and the advisor's findings. Times in UTC.
 */
import type { Column } from "../../render/table.js";
import { renderTable } from "../../render/table.js";
import { terminalSafe } from "../../render/terminal-safe.js";
import type { History, HistoryCloseWait, HistoryEvent, HistoryTimeWait } from "../../store/history.js";
import { duration, wrap } from "../wrap.js";

/** A clock for a window within a day ("02:10:01"), a date and minute otherwise ("12-05 02:10"); UTC like the JSON. */
function clock(longWindow: boolean): (ms: number) => string {
  return (ms) => {
    const iso = new Date(ms).toISOString();
    return longWindow ? iso.slice(5, 16).replace("T", " ") : iso.slice(11, 19);
  };
}

/** The window's ends, always with the date. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function port(g: HistoryCloseWait): string {
  if (g.localPort !== null) return `:${g.localPort}`;
  return g.peerPort !== null ? `→:${g.peerPort}` : "-";
}

export function historyText(db: string, h: History, width: number): string {
  const w = width > 0 ? Math.max(60, Math.min(width, 120)) : 80;
  const out: string[] = [];
  if (h.from === null || h.to === null) return `${db}: no samples yet`;
  const host = h.hostname ? ` of ${h.hostname}` : "";
  out.push(
    terminalSafe(
      `History${host} from ${stamp(h.from)} to ${stamp(h.to)} UTC (${duration((h.to - h.from) / 1000)})`,
    ),
    terminalSafe(`read from ${db}`),
  );
  const namespaced = h.closeWait.some((g) => g.netns !== null) || h.timeWait.some((d) => d.netns !== null);
  const longWindow = h.to - h.from >= 86_400_000 || stamp(h.from).slice(0, 10) !== stamp(h.to).slice(0, 10);
  const when = clock(longWindow);
  // Over 80 columns otherwise: with AGE (exact or at least), a namespace or dated
  // times leave no room for both times; --json keeps lastSeen.
  const lastSeenShown = !namespaced && !longWindow;

  out.push("", `CLOSE_WAIT groups: ${h.closeWait.length}`);
  if (h.closeWait.length > 0) {
    const cols: Column<HistoryCloseWait>[] = [
      ...(namespaced
        ? [{ header: "NETNS", shrinkable: true, value: (g: HistoryCloseWait) => g.netns ?? "host" }]
        : []),
      { header: "PID", align: "right", value: (g) => g.owner.pid ?? "-" },
      { header: "COMM", shrinkable: true, value: (g) => g.owner.comm ?? "?" },
      { header: "PORT", value: port },
      { header: "CAUSE", value: (g) => g.cause },
      // Exact: when it entered CLOSE_WAIT (watch's tracer saw it); else the first sample that saw it.
      { header: "FIRST SEEN", value: (g) => when(g.enteredCloseWait ?? g.firstSeen) },
      { header: "AGE", value: (g) => (g.enteredCloseWait !== null ? "exact" : "at least") },
      ...(lastSeenShown ? [{ header: "LAST SEEN", value: (g: HistoryCloseWait) => when(g.lastSeen) }] : []),
      { header: "PEAK", align: "right", value: (g) => g.peak },
      { header: "NOW", align: "right", value: (g) => g.now },
    ];
    out.push(renderTable(h.closeWait, cols, w));
  }

  out.push("", `TIME_WAIT peaks per destination: ${h.timeWait.length}`);
  if (h.timeWait.length > 0) {
    const cols: Column<HistoryTimeWait>[] = [
      ...(namespaced
        ? [{ header: "NETNS", shrinkable: true, value: (d: HistoryTimeWait) => d.netns ?? "host" }]
        : []),
      { header: "LOCAL", shrinkable: true, value: (d) => d.local },
      { header: "REMOTE", shrinkable: true, value: (d) => d.remote },
      { header: "PEAK", align: "right", value: (d) => d.peakCount },
      { header: "MIN LEFT", align: "right", value: (d) => d.minPortsLeft ?? "-" },
      { header: "AT", value: (d) => when(d.at) },
    ];
    out.push(renderTable(h.timeWait.slice(0, 20), cols, w));
    if (h.timeWait.length > 20) out.push(`(${h.timeWait.length - 20} more in --json)`);
  }

  out.push("", `Events: ${h.events.length}`);
  for (const e of h.events as HistoryEvent[]) {
    const ns = namespaced ? `[${e.netns ?? "host"}] ` : "";
    const head = `${when(e.time)}  `;
    out.push(...wrap(terminalSafe(`${head}${ns}${e.text}`), w, "", " ".repeat(head.length)));
  }

  out.push("", `Advisor findings: ${h.findings.length}`);
  for (const f of h.findings) {
    const ns = namespaced ? `[${f.netns ?? "host"}] ` : "";
    const span = `${when(f.firstSeen)}–${f.present ? "now" : when(f.lastSeen)}`;
    const head = `${f.severity.toUpperCase().padEnd(8)} `;
    out.push(
      ...wrap(terminalSafe(`${head}${ns}${f.id} (${span}): ${f.why}`), w, "", " ".repeat(head.length)),
    );
  }
  return out.join("\n");
}
