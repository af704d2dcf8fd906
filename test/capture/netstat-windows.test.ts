import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNetstatWindows } from "../../src/capture/netstat-windows.js";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { assertNeverCrashes, capture, counts, rowAt } from "./netstat-test-kit.js";

const AON = "jc__windows10_netstat-aon_crlf.txt";
const ANBV = "perl-Parse-Netstat__netstat-anp-win32.txt";

describe("parseNetstatWindows on the shared captures", () => {
  it(`counts ${AON} as the README does (CRLF, leading blank line, PID column)`, () => {
    const { sockets, warnings, ownersKnown } = parseNetstatWindows(capture(AON), AON);
    assert.deepEqual(counts(sockets), { ESTABLISHED: 32, LISTEN: 39 });
    assert.deepEqual(warnings, []);
    assert.equal(ownersKnown, true);
    assert.equal(sockets.filter((s) => s.family === 6).length, 15, "15 bracketed IPv6 rows");
    assert.ok(sockets.every((s) => s.owners?.length === 1 && s.owners[0]!.comm === "?"));
  });

  it("reads bracketed IPv6 and PIDs of -aon rows", () => {
    const { sockets } = parseNetstatWindows(capture(AON), AON);
    const v6 = rowAt(sockets, "::1", 1025);
    assert.deepEqual(v6, {
      family: 6,
      state: TcpState.LISTEN,
      local: { address: "::1", port: 1025 },
      remote: { address: "::", port: 0 },
      recvQ: 0,
      sendQ: 0,
      timer: null,
      uid: null,
      inode: null,
      cookie: null,
      owners: [{ pid: 6088, comm: "?", fd: null }],
    });
    const estab = rowAt(sockets, "127.0.0.1", 1031);
    assert.deepEqual(
      [estab.state, estab.remote.port, estab.owners![0]!.pid],
      [TcpState.ESTABLISHED, 1032, 10644],
    );
  });

  it(`counts ${ANBV} as the README does and names owners from the [exe] lines`, () => {
    const { sockets, warnings, ownersKnown } = parseNetstatWindows(capture(ANBV), ANBV);
    assert.deepEqual(counts(sockets), { LISTEN: 4 });
    assert.deepEqual(warnings, []);
    assert.equal(ownersKnown, true);
    assert.deepEqual(
      sockets.map((s) => [s.local.address, s.local.port, s.owners]),
      [
        ["0.0.0.0", 135, [{ pid: 988, comm: "svchost.exe", fd: null }]],
        ["0.0.0.0", 445, [{ pid: 4, comm: "System", fd: null }]],
        ["127.0.0.1", 1027, [{ pid: 1244, comm: "alg.exe", fd: null }]],
        ["192.168.0.104", 139, [{ pid: 4, comm: "System", fd: null }]],
      ],
    );
  });
});

describe("parseNetstatWindows on other layouts", () => {
  it("reads -anob records (service line, no-ownership line) and PID 0 as no owner", () => {
    const text = [
      "",
      "Active Connections",
      "",
      "  Proto  Local Address          Foreign Address        State           PID",
      "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1120",
      "  RpcSs",
      " [svchost.exe]",
      "  TCP    10.0.0.5:49710         10.0.0.9:443           CLOSE_WAIT      7788",
      " Can not obtain ownership information",
      "  TCP    10.0.0.5:49711         10.0.0.9:443           TIME_WAIT       0",
      "  UDP    0.0.0.0:500            *:*                                    3000",
      " [lsass.exe]",
      "",
    ].join("\r\n");
    const { sockets } = parseNetstatWindows(text, "b.txt");
    assert.deepEqual(
      sockets.map((s) => [s.state, s.owners]),
      [
        [TcpState.LISTEN, [{ pid: 1120, comm: "svchost.exe", fd: null }]],
        [TcpState.CLOSE_WAIT, [{ pid: 7788, comm: "?", fd: null }]],
        [TcpState.TIME_WAIT, null],
      ],
    );
  });

  it("reads -an without PID: owners unknown", () => {
    const text =
      "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State\r\n" +
      "  TCP    [fe80::1%9]:5357       [fe80::2%9]:50000      ESTABLISHED\r\n";
    const r = parseNetstatWindows(text, "an.txt");
    assert.equal(r.ownersKnown, false);
    assert.deepEqual(r.sockets[0]!.local, { address: "fe80::1", port: 5357 });
    assert.equal(r.sockets[0]!.owners, null);
  });

  it("skips a row with an unknown state word with a warning, and throws when every row is so", () => {
    const good = "  TCP    10.0.0.5:1000          10.0.0.9:443           ESTABLISHED     12";
    const localised = "  TCP    10.0.0.5:1001          10.0.0.9:443           HERGESTELLT     12";
    const r = parseNetstatWindows(`${good}\n${localised}\n`, "de.txt");
    assert.equal(r.sockets.length, 1);
    assert.deepEqual(r.warnings, ['de.txt:2: unknown state "HERGESTELLT"; row skipped']);
    assert.throws(() => parseNetstatWindows(localised, "de.txt"), InputError);
  });
});

describe("parseNetstatWindows never crashes", () => {
  it("parses or throws InputError for any text", () => {
    const vocabulary = [
      "TCP",
      "UDP",
      "TCPv6",
      "Proto",
      "Local Address",
      "Foreign Address",
      "State",
      "PID",
      "Active Connections",
      "0.0.0.0:135",
      "0.0.0.0:0",
      "[::]:0",
      "[::1]:8307",
      "[fe80::1%9]:1900",
      "*:*",
      "LISTENING",
      "ESTABLISHED",
      "TIME_WAIT",
      "CLOSE_WAIT",
      "0",
      "4",
      "[svchost.exe]",
      "RpcSs",
      "c:\\windows\\system32\\WS2_32.dll",
    ];
    assertNeverCrashes(parseNetstatWindows, vocabulary, [capture(AON), capture(ANBV)]);
  });
});
