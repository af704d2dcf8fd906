/**
 * @module `history --format csv`: one table of every row, a `section` column
 * telling CLOSE_WAIT groups, TIME_WAIT destinations, events and findings apart (one
 * file a spreadsheet opens as is).
 */
import { renderCsv } from "../../render/csv.js";
import type { Column } from "../../render/table.js";
import type { History } from "../../store/history.js";

interface Row {
  section: "closewait" | "timewait" | "event" | "finding";
  netns: string | null;
  time: number | null;
  pid: number | null;
  comm: string | null;
  cmdline: string | null;
  unit: string | null;
  port: number | null;
  cause: string | null;
  local: string | null;
  remote: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  peak: number | null;
  last: number | null;
  minPortsLeft: number | null;
  kind: string | null;
  text: string | null;
}

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
const str = (v: string | number | null) => (v === null ? "" : v);

const COLUMNS: Column<Row>[] = [
  { header: "section", value: (r) => r.section },
  { header: "netns", value: (r) => str(r.netns) },
  { header: "time", value: (r) => iso(r.time) },
  { header: "pid", value: (r) => str(r.pid) },
  { header: "comm", value: (r) => str(r.comm) },
  { header: "cmdline", value: (r) => str(r.cmdline) },
  { header: "unit", value: (r) => str(r.unit) },
  { header: "port", value: (r) => str(r.port) },
  { header: "cause", value: (r) => str(r.cause) },
  { header: "local", value: (r) => str(r.local) },
  { header: "remote", value: (r) => str(r.remote) },
  { header: "first_seen", value: (r) => iso(r.firstSeen) },
  { header: "last_seen", value: (r) => iso(r.lastSeen) },
  { header: "peak", value: (r) => str(r.peak) },
  { header: "last", value: (r) => str(r.last) },
  { header: "min_ports_left", value: (r) => str(r.minPortsLeft) },
  { header: "kind", value: (r) => str(r.kind) },
  { header: "text", value: (r) => str(r.text) },
];

const EMPTY = {
  time: null,
  pid: null,
  comm: null,
  cmdline: null,
  unit: null,
  port: null,
  cause: null,
  local: null,
  remote: null,
  firstSeen: null,
  lastSeen: null,
  peak: null,
  last: null,
  minPortsLeft: null,
  kind: null,
  text: null,
};

export function historyCsv(h: History): string {
  const rows: Row[] = [
    ...h.closeWait.map((g): Row => ({
      ...EMPTY,
      section: "closewait",
      netns: g.netns,
      ...g.owner,
      port: g.localPort ?? g.peerPort,
      cause: g.cause,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      peak: g.peak,
      last: g.last,
    })),
    ...h.timeWait.map((d): Row => ({
      ...EMPTY,
      section: "timewait",
      netns: d.netns,
      time: d.at,
      local: d.local,
      remote: d.remote,
      peak: d.peakCount,
      minPortsLeft: d.minPortsLeft,
    })),
    ...h.events.map((e): Row => ({
      ...EMPTY,
      section: "event",
      netns: e.netns,
      time: e.time,
      kind: e.kind,
      text: e.text,
    })),
    // kind: the finding's id and severity; text: its latest wording.
    ...h.findings.map((f): Row => ({
      ...EMPTY,
      section: "finding",
      netns: f.netns,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      kind: `${f.id}:${f.severity}`,
      text: f.why,
    })),
  ];
  return renderCsv(rows, COLUMNS);
}
