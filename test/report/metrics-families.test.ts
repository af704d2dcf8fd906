import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarize } from "../../src/analysis/summary.js";
import { buildTimeWaitReport } from "../../src/analysis/time-wait/report.js";
import { settingsFromSysctls } from "../../src/analysis/time-wait/settings.js";
import { metricFamilies } from "../../src/report/metrics/families.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";

function socket(state: TcpState, localPort: number, remote: string, remotePort: number): TcpSocket {
  return {
    family: 4,
    state,
    local: { address: "10.0.0.1", port: localPort },
    remote: { address: remote, port: remotePort },
    recvQ: 0,
    sendQ: 0,
    timer: state === TcpState.TIME_WAIT ? { kind: "timewait", expiresMs: 55_000, retrans: 0 } : null,
    uid: null,
    inode: 0,
    cookie: null,
    owners: null,
  };
}

// 3 TIME_WAIT + 1 established toward db:5432, 1 TIME_WAIT toward cache:6379, 1 incoming TIME_WAIT on :80.
const SOCKETS = [
  socket(TcpState.TIME_WAIT, 40001, "10.0.0.9", 5432),
  socket(TcpState.TIME_WAIT, 40002, "10.0.0.9", 5432),
  socket(TcpState.TIME_WAIT, 40003, "10.0.0.9", 5432),
  socket(TcpState.ESTABLISHED, 40004, "10.0.0.9", 5432),
  socket(TcpState.TIME_WAIT, 40005, "10.0.0.8", 6379),
  socket(TcpState.TIME_WAIT, 80, "10.0.0.7", 51000),
];

function families(top: number) {
  const { settings } = settingsFromSysctls({ "net.ipv4.ip_local_port_range": "32768 60999" });
  return metricFamilies({
    summary: summarize(SOCKETS),
    timeWait: buildTimeWaitReport({ sockets: SOCKETS, settings, windowSec: 10 }),
    topDestinations: top,
    closeWaitProcesses: null,
    scrapeSeconds: 0.1234,
  });
}

const samples = (name: string, top = 20) => families(top).find((f) => f.name === name)?.samples;

describe("metricFamilies", () => {
  it("exports every state, zero included, with lower snake-case labels", () => {
    const states = samples("sockdoc_tcp_sockets")!;
    assert.equal(states.length, 11);
    assert.deepEqual(states.find((s) => s.labels?.state === "time_wait")?.value, 5);
    assert.deepEqual(states.find((s) => s.labels?.state === "established")?.value, 1);
    assert.deepEqual(states.find((s) => s.labels?.state === "close_wait")?.value, 0);
  });
  it("exports outgoing destinations only, most ports in use first, --top of them", () => {
    assert.deepEqual(samples("sockdoc_time_wait_destination_ports_in_use"), [
      { labels: { local: "10.0.0.1", remote: "10.0.0.9", port: "5432" }, value: 4 },
      { labels: { local: "10.0.0.1", remote: "10.0.0.8", port: "6379" }, value: 1 },
    ]);
    assert.deepEqual(samples("sockdoc_time_wait_destination_ports_free")?.[0]?.value, 28232 - 4);
    assert.equal(samples("sockdoc_time_wait_destination_sockets", 1)?.length, 1);
  });
  it("leaves out the per-process family without -p and rounds the scrape time", () => {
    assert.equal(samples("sockdoc_close_wait_process_sockets"), undefined);
    assert.deepEqual(samples("sockdoc_scrape_duration_seconds"), [{ value: 0.123 }]);
  });
});
