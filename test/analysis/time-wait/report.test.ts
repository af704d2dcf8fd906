import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildTimeWaitReport, type Destination } from "../../../src/analysis/time-wait/report.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { settings, sock, tw, tws } from "./make.js";

// 100 ports, 5 reserved, one listener in the range: 94 usable per destination.
const small = settings({ portRange: [40000, 40099], reserved: [[40000, 40004]], reservedPorts: 5 });
const LISTENER = sock(TcpState.LISTEN, "0.0.0.0:40010", "0.0.0.0:0");

function only(sockets: Parameters<typeof buildTimeWaitReport>[0]["sockets"], over = {}) {
  return buildTimeWaitReport({
    sockets: [LISTENER, ...sockets],
    settings: { ...small, ...over },
    windowSec: 10,
  });
}

function dest(d: Destination[], remote: string): Destination {
  const found = d.find((x) => `${x.remote.address}:${x.remote.port}` === remote);
  assert.ok(found, `no destination ${remote}`);
  return found;
}

describe("buildTimeWaitReport", () => {
  it("budget is the range minus reserved and listening ports", () => {
    const r = only([tw("10.0.0.1:40020", "10.0.0.2:80")]);
    assert.equal(r.settings.budget, 94);
    assert.equal(r.settings.reservedPorts, 5);
    assert.equal(r.settings.listenPorts, 1);
    assert.deepEqual(r.settings.portRange, [40000, 40099]);
  });

  it("forecasts exhaustion from the recent rate (critical)", () => {
    // 40 fresh TIME_WAIT (4/s over 10 s) and one open connection: 53 free ports last 53/4 s.
    const r = only([
      ...tws("10.0.0.1", 40020, 40, "10.0.0.2:80"),
      sock(TcpState.ESTABLISHED, "10.0.0.1:40060", "10.0.0.2:80"),
    ]);
    const d = dest(r.destinations, "10.0.0.2:80");
    assert.equal(d.direction, "outgoing");
    assert.equal(d.count, 40);
    assert.equal(d.portsInUse, 41);
    assert.equal(d.portsLeft, 53);
    assert.equal(d.ratePerSec, 4);
    assert.equal(d.sustainablePerSec, 1.6);
    assert.equal(d.exhaustedInSec, 13.3);
    assert.equal(d.severity, "critical");
    assert.match(d.note, /the 53 free ports run out in 13 s; connect\(\) then fails with EADDRNOTAVAIL/);
    assert.match(d.note, /\(tcp_tw_reuse is 0\.\)/);
    assert.match(d.remedy ?? "", /tcp_tw_reuse=1/);
    assert.equal(r.severity, "critical");
  });

  it("says 'not on this course' when the rate is below what the destination sustains", () => {
    // 40 sockets, all 30 s old: nothing in the last 10 s.
    const d = dest(only(tws("10.0.0.1", 40020, 40, "10.0.0.2:80", 30_000)).destinations, "10.0.0.2:80");
    assert.equal(d.ratePerSec, 0);
    assert.equal(d.exhaustedInSec, null);
    assert.equal(d.severity, "info");
    assert.match(d.note, /not on this course/);
  });

  it("warns at half the ports in use", () => {
    const d = dest(only(tws("10.0.0.1", 40020, 50, "10.0.0.2:80", 30_000)).destinations, "10.0.0.2:80");
    assert.equal(d.severity, "warning");
    assert.match(d.note, /53% of the ports are in use/);
  });

  it("warns when the rate reaches half of what is sustainable", () => {
    // 8 fresh sockets: 0.8/s, sustainable 94/60 = 1.57/s; 8 * 60 = 48 < 94, never exhausted.
    const d = dest(only(tws("10.0.0.1", 40020, 8, "10.0.0.2:80")).destinations, "10.0.0.2:80");
    assert.equal(d.exhaustedInSec, null);
    assert.equal(d.severity, "warning");
  });

  it("calls it exhausted now when every port is held", () => {
    // Every usable port: 40005-40009 and 40011-40099 (40010 is the listener's).
    const sockets = [
      ...tws("10.0.0.1", 40005, 5, "10.0.0.2:80", 30_000),
      ...tws("10.0.0.1", 40011, 89, "10.0.0.2:80", 30_000),
    ];
    const d = dest(only(sockets).destinations, "10.0.0.2:80");
    assert.equal(d.exhaustedInSec, 0);
    assert.equal(d.portsLeft, 0);
    assert.match(d.note, /fails now/);
  });

  it("with tcp_tw_reuse on loopback, exhaustion is unlikely", () => {
    const sockets = tws("127.0.0.1", 40020, 40, "127.0.0.1:80", 30_000);
    const d = dest(only(sockets, { twReuse: 2 }).destinations, "127.0.0.1:80");
    assert.equal(d.reuse, true);
    assert.equal(d.exhaustedInSec, null);
    assert.equal(d.sustainablePerSec, 94);
    assert.equal(d.severity, "info");
    assert.match(d.note, /tcp_tw_reuse is 2 \(loopback\): connect\(\) may take over a port/);
    assert.match(d.note, /exhaustion is\s+unlikely/);
    // The same load toward a remote host gets no reuse from 2.
    const remote = dest(
      only(tws("10.0.0.1", 40020, 40, "10.0.0.2:80", 30_000), { twReuse: 2 }).destinations,
      "10.0.0.2:80",
    );
    assert.equal(remote.reuse, false);
  });

  it("with reuse, a burst far past the delay-based limit still fails", () => {
    // 80 sockets younger than 1 s (reuse delay): 8/s over 10 s is not the point; the burst is.
    const sockets = tws("127.0.0.1", 40020, 80, "127.0.0.1:80", 59_800);
    const r = buildTimeWaitReport({
      sockets: [LISTENER, ...sockets],
      settings: { ...small, twReuse: 1 },
      windowSec: 1,
    });
    const d = dest(r.destinations, "127.0.0.1:80");
    // 80/s over the last second; 80 held for 0.8 s more; 14 free ports last 14/80 s.
    assert.equal(d.ratePerSec, 80);
    assert.equal(d.exhaustedInSec, 0.2);
    assert.equal(d.severity, "critical");
  });

  it("incoming groups cost no ports and are never flagged", () => {
    const r = only([...Array.from({ length: 60 }, (_, i) => tw("10.0.0.1:8080", `10.0.0.9:${50000 + i}`))]);
    assert.equal(r.destinations.length, 1);
    const d = r.destinations[0]!;
    assert.equal(d.direction, "incoming");
    assert.deepEqual(d.local, { address: "10.0.0.1", port: 8080 });
    assert.deepEqual(d.remote, { address: "10.0.0.9", port: null });
    assert.equal(d.portsInUse, null);
    assert.equal(d.severity, "info");
    assert.equal(r.incoming, 60);
    assert.equal(r.outgoing, 0);
    assert.match(d.note, /closed first as the server on port 8080/);
  });

  it("sorts by count and flags tcp_max_tw_buckets at 80%", () => {
    const r = only(
      [
        ...tws("10.0.0.1", 40020, 3, "10.0.0.2:80", 30_000),
        ...tws("10.0.0.1", 40020, 5, "10.0.0.3:80", 30_000),
      ],
      { maxTwBuckets: 10 },
    );
    assert.deepEqual(
      r.destinations.map((d) => d.count),
      [5, 3],
    );
    assert.equal(r.buckets.used, 8);
    assert.equal(r.buckets.severity, "warning");
    assert.match(r.buckets.note ?? "", /80% of tcp_max_tw_buckets/);
    assert.equal(r.severity, "warning");
    const full = only(tws("10.0.0.1", 40020, 10, "10.0.0.2:80", 30_000), { maxTwBuckets: 10 });
    assert.match(full.buckets.note ?? "", /TCPTimeWaitOverflow/);
  });
});
