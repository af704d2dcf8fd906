/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * @module The dashboard's page script. One function, served as its own
 * source text (assets.ts) and run in the browser: it is type-checked here
 * against the DOM's types but imports nothing and uses nothing outside
 * itself but the DOM and uPlot. Every value from the API reaches the page
 * through textContent or an attribute, never as HTML: process names and
 * command lines are whatever their owners made them.
 */

/** The part of uPlot this script uses (the library is /assets/uplot.js, a global). */
interface UPlotLike {
  setData(data: Array<Array<number | null>>): void;
  setSize(size: { width: number; height: number }): void;
  destroy(): void;
}
// Types only (erased): the function below imports nothing at run time.
import type { CloseWaitGroupSample, DestinationSample } from "../store/sample.js";
import type { Timeline as TimelineData } from "../store/timeline.js";

declare const uPlot: new (opts: unknown, data: Array<Array<number | null>>, target: HTMLElement) => UPlotLike;

export function dashboardClient(): void {
  // The JSON of /api/live: the store's sample shapes, times as ISO text.
  type LiveGroup = Omit<CloseWaitGroupSample, "firstSeen"> & {
    netns: string | null;
    firstSeen: string | null;
  };
  type LiveDestination = DestinationSample & { netns: string | null };
  interface Finding {
    netns: string | null;
    id: string;
    severity: string;
    why: string;
    command: string | null;
    firstSeen?: string;
    lastSeen?: string;
    present?: boolean;
  }
  interface Live {
    at: string;
    sample: number;
    intervalMs: number;
    hostname: string | null;
    states: Record<string, number>;
    closeWait: LiveGroup[];
    timeWait: LiveDestination[];
    findings: Finding[];
  }
  interface HistoryGroup {
    netns: string | null;
    owner: { pid: number | null; comm: string | null; cmdline: string | null; unit: string | null };
    localPort: number | null;
    peerPort: number | null;
    cause: string;
    firstSeen: string;
    lastSeen: string;
    peak: number;
    now: number;
  }
  interface History {
    closeWait: HistoryGroup[];
    timeWait: Array<{ netns: string | null; local: string; remote: string; peakCount: number }>;
    events: Array<{ time: string; netns: string | null; kind: string; text: string }>;
    findings: Finding[];
  }
  type Timeline = Omit<TimelineData, "from" | "to">;

  const $ = (id: string) => document.getElementById(id)!;
  /** An element with text children only: never HTML from data. */
  function el(tag: string, cls: string | null, ...children: Array<Node | string | null>): HTMLElement {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const c of children)
      if (c !== null) e.append(typeof c === "string" ? document.createTextNode(c) : c);
    return e;
  }
  const fmtTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "–");
  function fmtAge(seconds: number): string {
    if (!Number.isFinite(seconds) || seconds < 0) return "–";
    if (seconds < 90) return `${Math.round(seconds)} s`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
    return `${(seconds / 86400).toFixed(1)} d`;
  }
  const portText = (g: { localPort: number | null; peerPort: number | null }) =>
    g.localPort !== null ? `:${g.localPort}` : g.peerPort !== null ? `→ :${g.peerPort}` : "–";
  const nsText = (netns: string | null) => (netns ? `[${netns}] ` : "");
  const groupKey = (
    netns: string | null,
    pid: number | null,
    lp: number | null,
    pp: number | null,
    cause: string,
  ) => JSON.stringify([netns, pid, lp, pp, cause]);

  const COLORS = [
    "#c0392b",
    "#2b6cb0",
    "#b7791f",
    "#2f855a",
    "#805ad5",
    "#d53f8c",
    "#319795",
    "#718096",
    "#dd6b20",
    "#3182ce",
    "#38a169",
    "#e53e3e",
  ];
  const STATE_COLORS: Record<string, string> = {
    CLOSE_WAIT: "#c0392b",
    TIME_WAIT: "#b7791f",
    ESTABLISHED: "#2b6cb0",
    LISTEN: "#718096",
    FIN_WAIT1: "#805ad5",
    FIN_WAIT2: "#d53f8c",
    LAST_ACK: "#319795",
    SYN_SENT: "#2f855a",
    SYN_RECV: "#38a169",
    CLOSING: "#dd6b20",
  };

  let windowText = "1h";
  let live: Live | null = null;
  let history: History | null = null;
  const charts = new Map<string, { plot: UPlotLike; key: string; target: HTMLElement }>();

  async function getJson<T>(path: string): Promise<T> {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return (await r.json()) as T;
  }

  function chartSize(target: HTMLElement) {
    const width = Math.max(200, Math.floor(target.clientWidth));
    return { width, height: Math.max(160, Math.min(280, Math.round(width * 0.42))) };
  }

  /** One uPlot per target; rebuilt when its series change, otherwise fed new data. */
  function plot(id: string, names: string[], colors: string[], data: Array<Array<number | null>>) {
    const target = $(id);
    const key = JSON.stringify(names);
    const had = charts.get(id);
    if (had && had.key === key) {
      had.plot.setData(data);
      return;
    }
    had?.plot.destroy();
    target.textContent = "";
    const opts = {
      ...chartSize(target),
      scales: { x: { time: true } },
      axes: [{}, { size: 50 }],
      legend: { live: true },
      series: [{}, ...names.map((label, i) => ({ label, stroke: colors[i], width: 2, spanGaps: false }))],
    };
    charts.set(id, { plot: new uPlot(opts, data, target), key, target });
  }

  function renderTimeline(t: Timeline) {
    const times = t.times.map((ms) => ms / 1000);
    const states = Object.keys(t.states).filter((s) => t.states[s]!.some((n) => n > 0));
    states.sort((a, b) => Math.max(...t.states[b]!) - Math.max(...t.states[a]!));
    plot(
      "states-chart",
      states,
      states.map((s, i) => STATE_COLORS[s] ?? COLORS[i % COLORS.length]!),
      [times, ...states.map((s) => t.states[s]!)],
    );
    $("states-note").textContent =
      `${t.times.length} points (${t.resolution === "sample" ? "one per sample" : "one per minute, its last value"}).`;
    const labels = t.closeWait.map(
      (g) => `${nsText(g.netns)}${g.comm ?? "?"} (${g.pid ?? "-"}) ${portText(g)} ${g.cause}`,
    );
    plot(
      "closewait-chart",
      labels,
      labels.map((_, i) => COLORS[i % COLORS.length]!),
      [times, ...t.closeWait.map((g) => g.counts)],
    );
    $("states-chart").dataset.points = String(t.times.length);
    $("closewait-chart").dataset.points = String(t.times.length);
  }

  function renderDiagram(states: Record<string, number>) {
    for (const node of document.querySelectorAll<SVGTextElement>("#state-diagram .state-count")) {
      const state = node.id.slice(2);
      node.textContent = String(states[state] ?? 0);
    }
  }

  function renderCloseWait() {
    const body = document.querySelector("#closewait-table tbody")!;
    body.textContent = "";
    const at = live ? Date.parse(live.at) : Date.now();
    const peaks = new Map<string, HistoryGroup>();
    for (const g of history?.closeWait ?? [])
      peaks.set(groupKey(g.netns, g.owner.pid, g.localPort, g.peerPort, g.cause), g);
    const shown = new Set<string>();
    const rows: Array<{ key: string; g: LiveGroup; gone: boolean; peak: number | null }> = [];
    for (const g of live?.closeWait ?? []) {
      const key = groupKey(g.netns, g.pid, g.localPort, g.peerPort, g.cause);
      shown.add(key);
      rows.push({ key, g, gone: false, peak: peaks.get(key)?.peak ?? null });
    }
    for (const [key, h] of peaks) {
      if (shown.has(key)) continue;
      rows.push({
        key,
        gone: true,
        peak: h.peak,
        g: {
          netns: h.netns,
          ...h.owner,
          localPort: h.localPort,
          peerPort: h.peerPort,
          cause: h.cause,
          count: 0,
          firstSeen: h.firstSeen,
        },
      });
    }
    rows.sort((a, b) => Number(a.gone) - Number(b.gone) || b.g.count - a.g.count);
    for (const { g, gone, peak } of rows.slice(0, 100)) {
      const who = el("td", null, `${nsText(g.netns)}${g.comm ?? "?"} (pid ${g.pid ?? "–"})`);
      if (g.cmdline) who.append(el("span", "cmd", g.cmdline));
      if (g.unit) who.append(el("span", "cmd", g.unit));
      const first = g.firstSeen ? Date.parse(g.firstSeen) : null;
      const tr = el(
        "tr",
        gone ? "gone" : null,
        who,
        el("td", null, portText(g)),
        el("td", null, g.cause),
        el("td", "num", String(g.count)),
        el("td", "num", peak === null ? "–" : String(peak)),
        el("td", null, fmtTime(g.firstSeen)),
        el("td", "num", first === null || gone ? "–" : fmtAge((at - first) / 1000)),
      );
      body.append(tr);
    }
    const total = (live?.closeWait ?? []).reduce((n, g) => n + g.count, 0);
    $("closewait-note").textContent =
      rows.length === 0
        ? "No CLOSE_WAIT socket in the window."
        : `${total} CLOSE_WAIT now; grey rows: groups gone within the window.`;
  }

  function renderTimeWait() {
    const body = document.querySelector("#timewait-table tbody")!;
    body.textContent = "";
    const peaks = new Map<string, number>();
    for (const d of history?.timeWait ?? []) peaks.set(`${d.netns} ${d.local} ${d.remote}`, d.peakCount);
    const list = live?.timeWait ?? [];
    for (const d of list.slice(0, 30)) {
      const sev = d.severity === "critical" || d.severity === "warning" ? `sev-${d.severity}` : null;
      body.append(
        el(
          "tr",
          sev,
          el("td", null, `${nsText(d.netns)}${d.local} → ${d.remote}`),
          el("td", "num", String(d.count)),
          el("td", "num", d.portsLeft === null ? "–" : String(d.portsLeft)),
          el("td", "num", d.ratePerSec === null ? "–" : d.ratePerSec.toFixed(1)),
          el("td", null, d.exhaustedInSec === null ? "" : fmtAge(d.exhaustedInSec)),
          el("td", "num", String(peaks.get(`${d.netns} ${d.local} ${d.remote}`) ?? d.count)),
        ),
      );
    }
    if (list.length === 0) body.append(el("tr", null, el("td", null, "No TIME_WAIT destination now.")));
  }

  function renderEvents() {
    const list = $("events");
    list.textContent = "";
    const events = [...(history?.events ?? [])].reverse().slice(0, 200);
    for (const e of events) {
      const time = el("time", null, fmtTime(e.time));
      time.setAttribute("datetime", e.time);
      list.append(
        el(
          "li",
          null,
          time,
          el("span", `kind kind-${e.kind.replace(/[^a-z-]/g, "")}`, e.kind),
          `${nsText(e.netns)}${e.text}`,
        ),
      );
    }
    if (events.length === 0) list.append(el("li", null, "No event in the window."));
  }

  function renderFindings() {
    const list = $("findings");
    list.textContent = "";
    const findings = history && history.findings.length > 0 ? history.findings : (live?.findings ?? []);
    for (const f of findings) {
      const span = f.firstSeen
        ? ` (${fmtTime(f.firstSeen)} – ${f.present ? "now" : fmtTime(f.lastSeen ?? null)})`
        : "";
      const li = el(
        "li",
        f.present === false ? "gone" : null,
        el("span", `sev-${f.severity.replace(/[^a-z]/g, "")}`, f.severity.toUpperCase()),
        " ",
        el("b", null, `${nsText(f.netns)}${f.id}`),
        span,
        el("br", null),
        f.why,
      );
      if (f.command) li.append(el("br", null), el("code", null, f.command));
      list.append(li);
    }
    if (findings.length === 0) list.append(el("li", null, "No finding."));
  }

  function renderLive(l: Live) {
    live = l;
    if (l.hostname) $("host").textContent = l.hostname;
    const total = Object.values(l.states).reduce((a, b) => a + b, 0);
    $("status").textContent =
      `sample ${l.sample} at ${fmtTime(l.at)}: ${total} sockets, ${l.states.CLOSE_WAIT ?? 0} CLOSE_WAIT, ` +
      `${l.states.TIME_WAIT ?? 0} TIME_WAIT; every ${l.intervalMs / 1000} s`;
    renderDiagram(l.states);
    renderCloseWait();
    renderTimeWait();
    if (!history || history.findings.length === 0) renderFindings();
  }

  let refreshing = false;
  let again = false;
  /** History and timeline of the window; one at a time, a request meanwhile runs once after. */
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const q = `since=${encodeURIComponent(windowText)}`;
      const [h, t] = await Promise.all([
        getJson<History>(`/api/history?${q}`),
        getJson<Timeline>(`/api/timeline?${q}`),
      ]);
      history = h;
      renderTimeline(t);
      renderCloseWait();
      renderTimeWait();
      renderEvents();
      renderFindings();
    } catch (err) {
      $("status").textContent = `cannot read the history: ${String(err)}`;
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function connect() {
    const source = new EventSource("/api/stream");
    source.addEventListener("sample", (e) => {
      renderLive(JSON.parse((e as MessageEvent<string>).data) as Live);
      void refresh();
    });
    // Full or failed: poll instead (EventSource would retry a failed stream by itself).
    source.addEventListener("full", () => {
      source.close();
      setInterval(
        () =>
          void getJson<Live>("/api/live")
            .then(renderLive)
            .then(refresh, () => {}),
        15000,
      );
    });
  }

  ($("window") as HTMLSelectElement).addEventListener("change", (e) => {
    windowText = (e.target as HTMLSelectElement).value;
    void refresh();
  });
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      for (const c of charts.values()) c.plot.setSize(chartSize(c.target));
    }, 150);
  });
  void getJson<Live>("/api/live").then(renderLive, () => {});
  void refresh();
  connect();
}
