/**
 * @module The CSV form of the CLOSE_WAIT report: one row per group.
 */
import type { ReportGroup } from "../../analysis/close-wait/report.js";
import type { Column } from "../../render/table.js";
import { v1DirectionWord } from "./json.js";

export const CSV_COLUMNS: Column<ReportGroup>[] = [
  { header: "severity", value: (g) => g.severity },
  { header: "pid", value: (g) => g.owner?.pid ?? "" },
  { header: "comm", value: (g) => g.owner?.comm ?? "" },
  { header: "user", value: (g) => g.owner?.user ?? "" },
  { header: "unit", value: (g) => g.owner?.unit ?? "" },
  { header: "direction", value: (g) => v1DirectionWord(g.direction) },
  { header: "local_port", value: (g) => g.localPort ?? "" },
  { header: "peer_port", value: (g) => g.peerPort ?? "" },
  { header: "count", value: (g) => g.count },
  { header: "recvq_min", value: (g) => g.recvQ.min },
  { header: "recvq_max", value: (g) => g.recvQ.max },
  { header: "cause", value: (g) => g.cause },
  { header: "fds", value: (g) => g.fds.join(" ") },
  { header: "peers", value: (g) => g.peers.map((p) => `${p.address}=${p.count}`).join(" ") },
  { header: "growth_per_min", value: (g) => g.growth?.perMinute ?? "" },
  { header: "note", value: (g) => g.ownerNote ?? "" },
];
