import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupTimeWait } from "../../../src/analysis/time-wait/group-sockets.js";
import type { TimeWaitGroup } from "../../../src/analysis/time-wait/grouping.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock, tw, tws } from "./make.js";

const range: [number, number] = [40000, 40999];

function group(
  sockets: Parameters<typeof groupTimeWait>[0]["sockets"],
  reserved: Array<[number, number]> = [],
) {
  return groupTimeWait({ sockets, portRange: range, reserved });
}

function find(groups: TimeWaitGroup[], direction: string, local: string, remote: string): TimeWaitGroup {
  const g = groups.find(
    (x) =>
      x.direction === direction &&
      `${x.local.address}:${x.local.port}` === local &&
      `${x.remote.address}:${x.remote.port}` === remote,
  );
  assert.ok(
    g,
    `no ${direction} group ${local} ${remote} in ${JSON.stringify(groups.map((x) => [x.local, x.remote]))}`,
  );
  return g;
}

describe("groupTimeWait", () => {
  it("groups outgoing sockets by (local address, remote address, remote port)", () => {
    const { groups, timeWaitRead } = group([
      ...tws("10.0.0.1", 40000, 3, "10.0.0.7:5432", 50_000),
      tw("10.0.0.1:40100", "10.0.0.7:5432", 20_000),
      tw("10.0.0.1:40101", "10.0.0.7:5433"),
      tw("10.0.0.2:40102", "10.0.0.7:5432"),
      tw("10.0.0.1:40103", "10.0.0.8:5432"),
    ]);
    assert.equal(timeWaitRead, 7);
    assert.equal(groups.length, 4);
    const g = find(groups, "outgoing", "10.0.0.1:null", "10.0.0.7:5432");
    assert.equal(g.count, 4);
    assert.equal(g.minRemainingMs, 20_000);
    assert.equal(g.maxRemainingMs, 50_000);
    assert.deepEqual(g.remainingMs.sort(), [20_000, 50_000, 50_000, 50_000]);
    for (const [l, r] of [
      ["10.0.0.1:null", "10.0.0.7:5433"],
      ["10.0.0.2:null", "10.0.0.7:5432"],
      ["10.0.0.1:null", "10.0.0.8:5432"],
    ] as const) {
      assert.equal(find(groups, "outgoing", l, r).count, 1);
    }
  });

  it("calls a local port outside the range, listening or reserved incoming, grouped by service and client", () => {
    const { groups } = group(
      [
        sock(TcpState.LISTEN, "0.0.0.0:40500", "0.0.0.0:0"),
        tw("10.0.0.1:8080", "10.0.0.9:40001"),
        tw("10.0.0.1:8080", "10.0.0.9:40002"),
        tw("10.0.0.1:8080", "10.0.0.10:40001"),
        tw("10.0.0.1:40500", "10.0.0.9:50000"),
        tw("10.0.0.1:40900", "10.0.0.9:443"),
        tw("10.0.0.1:40950", "10.0.0.9:443"),
      ],
      [[40900, 40999]],
    );
    assert.equal(find(groups, "incoming", "10.0.0.1:8080", "10.0.0.9:null").count, 2);
    assert.equal(find(groups, "incoming", "10.0.0.1:8080", "10.0.0.10:null").count, 1);
    // A listener's port in the range is bound, so its TIME_WAIT is a server side.
    assert.equal(find(groups, "incoming", "10.0.0.1:40500", "10.0.0.9:null").count, 1);
    // Reserved ports are never picked by connect().
    assert.equal(find(groups, "incoming", "10.0.0.1:40900", "10.0.0.9:null").count, 1);
    assert.equal(find(groups, "incoming", "10.0.0.1:40950", "10.0.0.9:null").count, 1);
    assert.equal(groups.length, 5);
  });

  it("counts listening ports in the range once, leaving out reserved ones", () => {
    const { listenPortsInRange } = group(
      [
        sock(TcpState.LISTEN, "0.0.0.0:40500", "0.0.0.0:0"),
        sock(TcpState.LISTEN, "[::]:40500", "[::]:0"),
        sock(TcpState.LISTEN, "127.0.0.1:40501", "0.0.0.0:0"),
        sock(TcpState.LISTEN, "127.0.0.1:40950", "0.0.0.0:0"),
        sock(TcpState.LISTEN, "0.0.0.0:22", "0.0.0.0:0"),
      ],
      [[40900, 40999]],
    );
    assert.equal(listenPortsInRange, 2);
  });

  it("counts other states on the same triple as ports in use", () => {
    const { groups } = group([
      ...tws("10.0.0.1", 40000, 2, "10.0.0.7:5432"),
      sock(TcpState.ESTABLISHED, "10.0.0.1:40010", "10.0.0.7:5432"),
      sock(TcpState.CLOSE_WAIT, "10.0.0.1:40011", "10.0.0.7:5432"),
      sock(TcpState.FIN_WAIT2, "10.0.0.1:40012", "10.0.0.7:5432"),
      // Not the same triple, or not from the range: not counted.
      sock(TcpState.ESTABLISHED, "10.0.0.1:40013", "10.0.0.7:5433"),
      sock(TcpState.ESTABLISHED, "10.0.0.2:40014", "10.0.0.7:5432"),
      sock(TcpState.ESTABLISHED, "10.0.0.1:30000", "10.0.0.7:5432"),
    ]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.otherInUse, 3);
  });

  it("folds IPv4-mapped IPv6 sockets into their IPv4 destination", () => {
    const { groups } = group([
      tw("10.0.0.1:40000", "10.0.0.7:443"),
      tw("[::ffff:10.0.0.1]:40001", "[::ffff:10.0.0.7]:443"),
      sock(TcpState.ESTABLISHED, "[::ffff:10.0.0.1]:40002", "[::ffff:10.0.0.7]:443"),
      tw("[2001:db8::1]:40003", "[2001:db8::7]:443"),
    ]);
    assert.equal(find(groups, "outgoing", "10.0.0.1:null", "10.0.0.7:443").count, 2);
    assert.equal(find(groups, "outgoing", "10.0.0.1:null", "10.0.0.7:443").otherInUse, 1);
    assert.equal(find(groups, "outgoing", "2001:db8::1:null", "2001:db8::7:443").count, 1);
  });

  it("reports only what the filter matches but counts every TIME_WAIT for the buckets", () => {
    const { groups, timeWaitRead } = groupTimeWait({
      sockets: [...tws("10.0.0.1", 40000, 3, "10.0.0.7:443"), ...tws("10.0.0.1", 40100, 2, "10.0.0.8:443")],
      portRange: range,
      reserved: [],
      matches: (s) => s.remote.address === "10.0.0.8",
    });
    assert.equal(timeWaitRead, 5);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.count, 2);
  });

  it("folds a server port whose listener is gone back into an incoming group", () => {
    const { groups } = group([
      // 10 clients' ports on our port 40500 (no listener now): each looks like its own destination.
      ...Array.from({ length: 10 }, (_, i) => tw(`10.0.0.1:40500`, `10.0.0.9:${50000 + i}`, 20_000 + i)),
      // 3 are too few to tell from a client port shared by 3 destinations.
      ...Array.from({ length: 3 }, (_, i) => tw(`10.0.0.1:40600`, `10.0.0.9:${51000 + i}`)),
      // A client toward 9 destinations, one socket each, on different ports: stays outgoing.
      ...Array.from({ length: 9 }, (_, i) => tw(`10.0.0.1:${40700 + i}`, `10.0.1.${i}:443`)),
    ]);
    const server = find(groups, "incoming", "10.0.0.1:40500", "10.0.0.9:null");
    assert.equal(server.count, 10);
    assert.equal(server.minRemainingMs, 20_000);
    assert.equal(server.maxRemainingMs, 20_009);
    assert.equal(server.remainingMs.length, 10);
    assert.equal(groups.filter((g) => g.direction === "outgoing").length, 3 + 9);
    assert.equal(groups.length, 1 + 3 + 9);
  });

  it("keeps remaining time unknown when a source has no timers", () => {
    const s = tw("10.0.0.1:40000", "10.0.0.7:443");
    s.timer = null;
    const { groups } = group([s]);
    assert.equal(groups[0]!.minRemainingMs, null);
    assert.deepEqual(groups[0]!.remainingMs, []);
  });
});
