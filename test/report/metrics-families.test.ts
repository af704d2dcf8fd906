import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport } from "../../src/analysis/close-wait/report.js";
import { summarize } from "../../src/analysis/summary.js";
import { buildTimeWaitReport } from "../../src/analysis/time-wait/report.js";
import { settingsFromSysctls } from "../../src/analysis/time-wait/settings.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { type MetricsInput, metricFamilies } from "../../src/report/metrics/families.js";
import { facts, listener, owner, sock } from "../analysis/close-wait/make.js";

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

const SETTINGS = settingsFromSysctls({ "net.ipv4.ip_local_port_range": "32768 60999" }).settings;

const EMPTY: MetricsInput = {
  build: { version: "9.9.9", nodeVersion: "v20.0.0" },
  collectors: [],
  summary: null,
  timeWait: null,
  closeWait: null,
  listeners: null,
  kernel: null,
  top: 20,
  scrapeSeconds: 0.1234,
};

function families(top: number, over: Partial<MetricsInput> = {}) {
  return metricFamilies({
    ...EMPTY,
    summary: summarize(SOCKETS),
    timeWait: buildTimeWaitReport({ sockets: SOCKETS, settings: SETTINGS, windowSec: 10 }),
    top,
    ...over,
  });
}

const samples = (name: string, top = 20, over: Partial<MetricsInput> = {}) =>
  families(top, over).find((f) => f.name === name)?.samples;

/** Two processes: 51 holds 3 (2 eof-not-closed, 1 fin-unread), 42's listener queues 1; 51 near its fd limit. */
function closeWaitReport() {
  return buildReport({
    ownersResolved: true,
    deniedCount: 0,
    backlogKnown: true,
    now: 0,
    sockets: [
      sock({ local: "127.0.0.1:3000", remote: "127.0.0.1:50001", recvQ: 0, owners: [owner(51, 20, "node")] }),
      sock({ local: "127.0.0.1:3000", remote: "127.0.0.1:50002", recvQ: 0, owners: [owner(51, 21, "node")] }),
      sock({ local: "127.0.0.1:3000", remote: "127.0.0.1:50003", recvQ: 1, owners: [owner(51, 22, "node")] }),
      listener("0.0.0.0:8080", 1, 128, [owner(42, 5, "java")]),
      sock({ local: "10.0.0.5:8080", recvQ: 1, inode: 0 }),
    ],
    facts: new Map([
      [51, facts(51, { comm: "node", fdCount: 1000, fdLimit: 1024 })],
      [42, facts(42, { comm: "java", fdLimit: null })],
    ]),
  });
}

describe("metricFamilies", () => {
  it("exports every state, zero included, with lower snake-case labels", () => {
    const states = samples("sockdoc_tcp_sockets")!;
    assert.equal(states.length, 11);
    assert.deepEqual(states.find((s) => s.labels?.state === "time_wait")?.value, 5);
    assert.deepEqual(states.find((s) => s.labels?.state === "established")?.value, 1);
    assert.deepEqual(states.find((s) => s.labels?.state === "close_wait")?.value, 0);
  });

  it("exports outgoing destinations only, most ports in use first, labelled remote_port", () => {
    assert.deepEqual(samples("sockdoc_time_wait_destination_ports_in_use"), [
      { labels: { local_address: "10.0.0.1", remote_address: "10.0.0.9", remote_port: "5432" }, value: 4 },
      { labels: { local_address: "10.0.0.1", remote_address: "10.0.0.8", remote_port: "6379" }, value: 1 },
    ]);
    assert.deepEqual(samples("sockdoc_time_wait_destination_ports_free")?.[0]?.value, 28232 - 4);
    assert.equal(samples("sockdoc_time_wait_destination_sockets", 1)?.length, 1);
    assert.deepEqual(samples("sockdoc_time_wait_destinations_left_out", 1), [{ labels: {}, value: 1 }]);
    assert.deepEqual(samples("sockdoc_ephemeral_ports_usable"), [{ labels: {}, value: 28232 }]);
  });

  it("always exports the forecast: +Inf for a destination not on course to run out", () => {
    const forecast = samples("sockdoc_time_wait_destination_exhausted_in_seconds")!;
    assert.equal(forecast.length, 2);
    assert.ok(forecast.every((s) => s.value === Number.POSITIVE_INFINITY));
  });

  it("leaves out the per-process families without -p and rounds the scrape time", () => {
    assert.equal(samples("sockdoc_close_wait_process_sockets"), undefined);
    assert.deepEqual(samples("sockdoc_scrape_duration_seconds"), [{ labels: {}, value: 0.123 }]);
  });

  it("reports each collector's success and time, and build_info", () => {
    const over = {
      collectors: [
        { name: "read", ok: true, seconds: 0.0123456789 },
        { name: "timewait", ok: false, seconds: 0 },
      ],
      timeWait: null,
    };
    assert.deepEqual(samples("sockdoc_scrape_collector_success", 20, over), [
      { labels: { collector: "read" }, value: 1 },
      { labels: { collector: "timewait" }, value: 0 },
    ]);
    assert.equal(samples("sockdoc_scrape_collector_duration_seconds", 20, over)?.[0]?.value, 0.012346);
    assert.deepEqual(samples("sockdoc_build_info", 20, over), [
      { labels: { version: "9.9.9", nodejs: "v20.0.0" }, value: 1 },
    ]);
    // The failed analysis's families are left out, the others are kept.
    assert.equal(samples("sockdoc_time_wait_destination_sockets", 20, over), undefined);
    assert.equal(samples("sockdoc_tcp_sockets", 20, over)?.length, 11);
  });

  it("exports CLOSE_WAIT per process: held, per cause, oldest seen, fds against the limit", () => {
    const over = { closeWait: { report: closeWaitReport(), oldestSeenSeconds: new Map([[51, 600]]) } };
    const node = { pid: "51", comm: "node" };
    const java = { pid: "42", comm: "java" };
    assert.deepEqual(samples("sockdoc_close_wait_process_sockets", 20, over), [
      { labels: node, value: 3 },
      { labels: java, value: 0 },
    ]);
    assert.deepEqual(samples("sockdoc_close_wait_process_cause_sockets", 20, over), [
      { labels: { ...node, cause: "eof-not-closed" }, value: 2 },
      { labels: { ...node, cause: "fin-unread" }, value: 1 },
      { labels: { ...java, cause: "not-accepted" }, value: 1 },
    ]);
    assert.deepEqual(samples("sockdoc_close_wait_process_oldest_seen_seconds", 20, over), [
      { labels: node, value: 600 },
    ]);
    assert.deepEqual(samples("sockdoc_close_wait_process_open_fds", 20, over)?.[0], {
      labels: node,
      value: 1000,
    });
    assert.deepEqual(samples("sockdoc_close_wait_process_max_fds", 20, over), [
      { labels: node, value: 1024 },
    ]);
    assert.deepEqual(samples("sockdoc_close_wait_processes_left_out", 1, over), [{ labels: {}, value: 1 }]);
  });

  it("exports accept queues per listener, fullest first, the backlog only where known", () => {
    const over = {
      listeners: [
        { address: "0.0.0.0", port: 22, queued: 0, backlog: 128 },
        { address: "127.0.0.1", port: 8080, queued: 129, backlog: 128 },
        { address: "::", port: 9000, queued: 3, backlog: null },
      ],
    };
    assert.deepEqual(samples("sockdoc_listen_queue_length", 2, over), [
      { labels: { local_address: "127.0.0.1", local_port: "8080" }, value: 129 },
      { labels: { local_address: "::", local_port: "9000" }, value: 3 },
    ]);
    assert.deepEqual(samples("sockdoc_listen_queue_backlog", 2, over), [
      { labels: { local_address: "127.0.0.1", local_port: "8080" }, value: 128 },
    ]);
    assert.deepEqual(samples("sockdoc_listeners_left_out", 2, over), [{ labels: {}, value: 1 }]);
  });

  it("exports TcpExt counters as counters and the sockstat TCP line as gauges", () => {
    const over = {
      kernel: {
        counters: { "TcpExt.TCPTimeWaitOverflow": 7, "TcpExt.ListenOverflows": 3 },
        sockstat: { socketsUsed: 10, tcp: { inuse: 5, orphan: 1, tw: 2, alloc: 8, mem: 1 } },
      },
    };
    const all = families(20, over);
    const overflow = all.find((f) => f.name === "sockdoc_tcpext_time_wait_overflow_total");
    assert.equal(overflow?.type, "counter");
    assert.deepEqual(overflow?.samples, [{ labels: {}, value: 7 }]);
    assert.deepEqual(samples("sockdoc_tcpext_listen_overflows_total", 20, over), [{ labels: {}, value: 3 }]);
    // A counter the kernel lacks is left out rather than made up.
    assert.deepEqual(samples("sockdoc_tcpext_abort_on_close_total", 20, over), []);
    assert.deepEqual(samples("sockdoc_sockstat_tcp_tw", 20, over), [{ labels: {}, value: 2 }]);
    assert.deepEqual(samples("sockdoc_sockstat_tcp_orphan", 20, over), [{ labels: {}, value: 1 }]);
  });

  it("puts the scope's labels first on every sample (the namespace/container extension point)", () => {
    const all = families(20, { scopeLabels: { netns: "blue" } });
    for (const f of all) {
      for (const s of f.samples) {
        if (f.name === "sockdoc_build_info") continue;
        assert.equal(Object.keys(s.labels ?? {})[0], "netns", f.name);
      }
    }
  });
});

describe("metricFamilies series bound", () => {
  it("with 10,000 destinations and 2,000 processes exports at most --top per entity plus the left-out gauges", () => {
    const top = 20;
    const tw: TcpSocket[] = [];
    for (let i = 0; i < 10_000; i++)
      tw.push(socket(TcpState.TIME_WAIT, 40000 + (i % 20000), `10.1.${i >> 8}.${i & 255}`, 443));
    const cw: TcpSocket[] = [];
    const processFacts = new Map();
    for (let pid = 1000; pid < 3000; pid++) {
      cw.push(
        sock({ local: "10.0.0.5:8080", remote: `10.2.0.1:${pid + 20000}`, owners: [owner(pid, 9, "w")] }),
      );
      processFacts.set(pid, facts(pid));
    }
    const report = buildReport({
      ownersResolved: true,
      deniedCount: 0,
      backlogKnown: true,
      now: 0,
      sockets: cw,
      facts: processFacts,
    });
    const all = metricFamilies({
      ...EMPTY,
      top,
      summary: summarize([...tw, ...cw]),
      timeWait: buildTimeWaitReport({ sockets: tw, settings: SETTINGS, windowSec: 10 }),
      closeWait: { report, oldestSeenSeconds: new Map([...processFacts.keys()].map((p) => [p, 1])) },
    });
    const count = (prefix: string) =>
      all
        .filter((f) => f.name.startsWith(prefix) && !f.name.endsWith("_left_out"))
        .reduce((n, f) => n + f.samples.length, 0);
    // 5 families per destination; 4 per process plus one per cause it has (1 here).
    assert.equal(count("sockdoc_time_wait_destination_"), 5 * top);
    assert.equal(count("sockdoc_close_wait_process_"), 5 * top);
    const leftOut = (name: string) => all.find((f) => f.name === name)?.samples[0]?.value;
    assert.equal(leftOut("sockdoc_time_wait_destinations_left_out"), 10_000 - top);
    assert.equal(leftOut("sockdoc_close_wait_processes_left_out"), 2_000 - top);
    const total = all.reduce((n, f) => n + f.samples.length, 0);
    assert.ok(total < 300, `${total} series in one scrape`);
  });
});
