import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupTimeWait } from "../../../src/analysis/time-wait/group-sockets.js";
import { type StreamedSocket, TimeWaitStream } from "../../../src/analysis/time-wait/stream.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock, tw, tws } from "./make.js";

const range: [number, number] = [40000, 40999];
const reserved: Array<[number, number]> = [[40900, 40999]];

/** The fields a cursor would hand over for this socket, plus the record itself for filters. */
interface Streamed extends StreamedSocket {
  record: TcpSocket;
}

function streamed(s: TcpSocket): Streamed {
  return {
    state: s.state,
    localAddress: s.local.address,
    localPort: s.local.port,
    remoteAddress: s.remote.address,
    remotePort: s.remote.port,
    expiresMs: s.timer ? s.timer.expiresMs : null,
    record: s,
  };
}

/** Streams the LISTEN sockets first (as the two passes do), then the others in their order. */
function stream(sockets: TcpSocket[], matches?: (s: TcpSocket) => boolean) {
  const st = new TimeWaitStream<Streamed>(
    { portRange: range, reserved },
    matches && ((s) => matches(s.record)),
  );
  for (const s of sockets) if (s.state === TcpState.LISTEN) st.add(streamed(s));
  for (const s of sockets) if (s.state !== TcpState.LISTEN) st.add(streamed(s));
  return st.finish();
}

/** A host with every case the grouping distinguishes, listeners spread through the list. */
function host(): TcpSocket[] {
  const noTimer = tw("10.0.0.1:40300", "10.0.0.7:5432");
  noTimer.timer = null;
  return [
    ...tws("10.0.0.1", 40000, 3, "10.0.0.7:5432", 50_000),
    sock(TcpState.ESTABLISHED, "10.0.0.1:40010", "10.0.0.7:5432"),
    sock(TcpState.CLOSE_WAIT, "10.0.0.1:40011", "10.0.0.7:5432"),
    sock(TcpState.ESTABLISHED, "10.0.0.1:30000", "10.0.0.7:5432"),
    tw("10.0.0.1:40500", "10.0.0.9:50000", 12_000),
    sock(TcpState.LISTEN, "0.0.0.0:40500", "0.0.0.0:0"),
    tw("10.0.0.1:8080", "10.0.0.9:40001", 30_000),
    tw("10.0.0.1:40950", "10.0.0.9:443"),
    tw("[::ffff:10.0.0.1]:40001", "[::ffff:10.0.0.7]:5432", 1_000),
    sock(TcpState.ESTABLISHED, "[::ffff:10.0.0.1]:40002", "[::ffff:10.0.0.7]:5432"),
    tw("[2001:db8::1]:40003", "[2001:db8::7]:443", 59_000),
    noTimer,
    // A server port whose listener is gone: folded back into one incoming group.
    ...Array.from({ length: 9 }, (_, i) => tw("10.0.0.1:40600", `10.0.0.9:${51000 + i}`, 20_000 + i)),
    sock(TcpState.LISTEN, "[::]:40501", "[::]:0"),
    sock(TcpState.LISTEN, "0.0.0.0:22", "0.0.0.0:0"),
  ];
}

describe("TimeWaitStream", () => {
  it("groups exactly as groupTimeWait does on the same sockets", () => {
    const sockets = host();
    const expected = groupTimeWait({ sockets, portRange: range, reserved });
    const got = stream(sockets);
    assert.deepEqual(got, expected);
    // The case list is not vacuous: folds, other sockets, listeners and IPv6 all show.
    assert.ok(expected.groups.some((g) => g.direction === "incoming" && g.local.port === 40600));
    assert.ok(expected.groups.some((g) => g.otherInUse === 3));
    assert.ok(expected.groups.some((g) => g.remote.address === "2001:db8::7"));
    assert.equal(expected.listenPortsInRange, 2);
  });

  it("applies the filter like groupTimeWait and still counts every TIME_WAIT", () => {
    const sockets = host();
    const matches = (s: TcpSocket) => s.remote.address.startsWith("10.0.0.9") || s.local.port === 40003;
    const expected = groupTimeWait({ sockets, portRange: range, reserved, matches });
    const got = stream(sockets, matches);
    assert.deepEqual(got, expected);
    assert.ok(got.timeWaitRead > got.groups.reduce((n, g) => n + g.count, 0));
  });

  it("gives an empty grouping for no sockets, or listeners only", () => {
    assert.deepEqual(stream([]), groupTimeWait({ sockets: [], portRange: range, reserved }));
    const listeners = [sock(TcpState.LISTEN, "0.0.0.0:40100", "0.0.0.0:0")];
    assert.deepEqual(stream(listeners), groupTimeWait({ sockets: listeners, portRange: range, reserved }));
  });

  it("refuses a LISTEN socket after the others (the ports it binds would be misread)", () => {
    const st = new TimeWaitStream<StreamedSocket>({ portRange: range, reserved });
    st.add(streamed(tw("10.0.0.1:40100", "10.0.0.7:443")));
    assert.throws(() => st.add(streamed(sock(TcpState.LISTEN, "0.0.0.0:40100", "0.0.0.0:0"))), /LISTEN/);
  });
});
