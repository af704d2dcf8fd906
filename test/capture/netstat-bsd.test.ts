import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNetstatBsd } from "../../src/capture/netstat-bsd.js";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { assertNeverCrashes, capture, counts, rowAt } from "./netstat-test-kit.js";

// Per-state counts checked by hand in shared/captures/README.md.
const CAPTURES: Array<[string, Record<string, number>]> = [
  ["jc__freebsd12_netstat-AanP.txt", { ESTABLISHED: 1, LISTEN: 3 }],
  ["jc__macos10146_netstat-An_truncated.txt", { ESTABLISHED: 43, CLOSE_WAIT: 6 }],
  ["perl-Parse-Netstat__netstat-an-darwin.txt", { ESTABLISHED: 1, LISTEN: 2 }],
  ["perl-Parse-Netstat__netstat-an-freebsd-9.2.txt", { ESTABLISHED: 5, CLOSE: 1, LISTEN: 18 }],
];

const MACOS = CAPTURES[1]![0];

describe("parseNetstatBsd on the shared captures", () => {
  for (const [name, expected] of CAPTURES) {
    it(`counts ${name} as the README does, owners unknown`, () => {
      const result = parseNetstatBsd(capture(name), name);
      assert.deepEqual(counts(result.sockets), expected);
      assert.equal(result.ownersKnown, false);
      assert.ok(result.sockets.every((s) => s.owners === null && s.inode === null && s.uid === null));
    });
  }

  it("reads FreeBSD -AanP past the Tcpcb column, wildcards as *, family from the proto", () => {
    const { sockets, warnings } = parseNetstatBsd(capture(CAPTURES[0]![0]), "fbsd");
    // 192.168.71.1.64330 fills the 18-character column but a 5-digit port cannot have lost a digit.
    assert.deepEqual(warnings, []);
    assert.deepEqual(sockets[0]!.local, { address: "192.168.71.163", port: 22 });
    assert.deepEqual(sockets[0]!.remote, { address: "192.168.71.1", port: 64330 });
    assert.deepEqual(
      sockets.slice(2).map((s) => [s.family, s.local.address, s.local.port, s.remote.address, s.remote.port]),
      [
        [4, "*", 22, "*", 0],
        [6, "*", 22, "*", 0],
      ],
    );
  });

  it("reads FreeBSD -an IPv6 host.port, CLOSED as CLOSE and Send-Q", () => {
    const { sockets } = parseNetstatBsd(capture(CAPTURES[3]![0]), "fbsd9");
    assert.equal(rowAt(sockets, "::1", 6013).family, 6);
    assert.equal(rowAt(sockets, "192.168.1.21", 764).state, TcpState.CLOSE);
    const busy = sockets.find((s) => s.remote.port === 58271)!;
    assert.deepEqual([busy.local.port, busy.sendQ, busy.recvQ], [22, 52, 0]);
  });

  it("reads macOS -an (tcp46 is a dual-stack socket) and skips its kernel sections", () => {
    const { sockets } = parseNetstatBsd(capture(CAPTURES[2]![0]), "darwin");
    assert.deepEqual(
      sockets.map((s) => [s.family, s.local.address, s.local.port]),
      [
        [4, "10.8.0.6", 54433],
        [6, "*", 80],
        [6, "*", 88],
      ],
    );
  });

  it("keeps macOS -An cut endpoints as printed and warns once", () => {
    const { sockets, warnings } = parseNetstatBsd(capture(MACOS), "mac");
    const closeWait = sockets.filter((s) => s.state === TcpState.CLOSE_WAIT);
    assert.deepEqual(
      closeWait.map((s) => [s.local.address, s.local.port, s.remote.address, s.remote.port, s.recvQ]),
      [
        ["192.168.1.221", 5442, "35.236.87.93", 8081, 31],
        ["192.168.1.221", 5164, "35.235.123.194", 555, 0],
        ["192.168.1.221", 5164, "35.235.123.194", 555, 0],
        ["192.168.1.221", 5164, "35.235.123.194", 555, 0],
        ["127.0.0.1", 9592, "127.0.0.1", 58704, 0],
        ["192.168.1.221", 5346, "35.236.87.93", 8081, 31],
      ],
    );
    assert.deepEqual(sockets[4]!.local, { address: "2600:1700:bab0:d", port: 5 });
    assert.equal(sockets[4]!.family, 6);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /^mac: 46 rows have an endpoint that fills its 18-character column and may be cut/,
    );
  });
});

describe("parseNetstatBsd on other layouts", () => {
  const HEADER = "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)    ";

  it("reads the pid column of macOS -anv; pid 0 is no owner", () => {
    const text = [
      "Active Internet connections (including servers)",
      `${HEADER} rhiwat shiwat    pid   epid  state    options`,
      "tcp4       0      0  10.55.1.235.6379       10.55.1.235.5001       CLOSE_WAIT  407682 146988    872      0 0x0122 0x00000008",
      "tcp4       0      0  10.55.1.235.5000       10.55.1.235.52217      TIME_WAIT   407280 146988      0      0 0x2131 0x00000104",
    ].join("\n");
    const r = parseNetstatBsd(text, "v.txt");
    assert.equal(r.ownersKnown, true);
    assert.deepEqual(
      r.sockets.map((s) => s.owners),
      // TIME_WAIT: no process can hold it, whatever the pid column says.
      [[{ pid: 872, comm: "?", fd: null }], null],
    );
  });

  it("reads macOS 14 process:pid names that hold spaces", () => {
    const text = [
      `${HEADER}      rxbytes      txbytes  rhiwat  shiwat          process:pid    state  options`,
      "tcp46      0      0  *.443                  *.*                    LISTEN                 0            0  131072  131072      Helium Helper:5660   00100 00000006",
    ].join("\n");
    const [s] = parseNetstatBsd(text, "p.txt").sockets;
    assert.deepEqual(s!.owners, [{ pid: 5660, comm: "Helium Helper", fd: null }]);
  });

  it("reads OpenBSD's plain tcp proto and skips FreeBSD -L listen queues with a note", () => {
    const text = [
      "Current listen queue sizes (qlen/incqlen/maxqlen)",
      "Proto Listen                           Local Address",
      "tcp4  0/0/128                          *.22",
      "Active Internet connections (including servers)",
      "Proto   Recv-Q Send-Q  Local Address          Foreign Address        (state)",
      "tcp          0      0  10.0.0.5.22            10.0.0.9.40000         ESTABLISHED",
    ].join("\n");
    const r = parseNetstatBsd(text, "o.txt");
    assert.deepEqual(counts(r.sockets), { ESTABLISHED: 1 });
    assert.deepEqual(r.warnings, ["o.txt: 1 listen-queue rows (netstat -L) are not sockets: skipped"]);
  });

  it("throws InputError when no TCP row reads, naming the line", () => {
    assert.throws(
      () => parseNetstatBsd("tcp4 0 0 localhost.s/sh *.* LISTEN\n", "n.txt"),
      (err: unknown) =>
        err instanceof InputError && /line 1: bad local address "localhost.s\/sh"/.test(err.message),
    );
  });
});

describe("parseNetstatBsd never crashes", () => {
  it("parses or throws InputError for any text", () => {
    const vocabulary = [
      "tcp4",
      "tcp6",
      "tcp46",
      "tcp",
      "udp4",
      "Proto",
      "Recv-Q Send-Q Local Address Foreign Address (state)",
      "pid",
      "process:pid",
      "Listen",
      "fffff80003df43d0",
      "cedd0cbf",
      "0",
      "10.0.0.1.22",
      "*.*",
      "*.80",
      "::1.6013",
      "fe80::aede:48ff:.4",
      "ESTABLISHED",
      "CLOSE_WAIT",
      "CLOSED",
      "LISTEN",
      "x:12",
    ];
    assertNeverCrashes(
      parseNetstatBsd,
      vocabulary,
      CAPTURES.map(([name]) => capture(name)),
    );
  });
});
