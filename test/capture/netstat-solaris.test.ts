import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNetstatSolaris } from "../../src/capture/netstat-solaris.js";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { assertNeverCrashes, counts, fixture, rowAt } from "./netstat-test-kit.js";

// Hand-written fixtures (no real Solaris capture is shared): see test/fixtures/capture/README.md.
const AN = "netstat-solaris-an.txt";
const NU = "netstat-solaris-nu.txt";

describe("parseNetstatSolaris on netstat -an", () => {
  it("counts the TCP sections only, IDLE and BOUND as CLOSE", () => {
    const { sockets, warnings, ownersKnown } = parseNetstatSolaris(fixture(AN), AN);
    assert.deepEqual(counts(sockets), {
      ESTABLISHED: 3,
      SYN_SENT: 1,
      FIN_WAIT2: 1,
      TIME_WAIT: 4,
      CLOSE: 3,
      CLOSE_WAIT: 4,
      LAST_ACK: 1,
      LISTEN: 6,
    });
    assert.deepEqual(warnings, []);
    assert.equal(ownersKnown, false);
    assert.deepEqual(
      [sockets.filter((s) => s.family === 4).length, sockets.filter((s) => s.family === 6).length],
      [17, 6],
    );
  });

  it("reads Send-Q and Recv-Q (not the window columns), host.port endpoints and the If column", () => {
    const { sockets } = parseNetstatSolaris(fixture(AN), AN);
    assert.deepEqual(rowAt(sockets, "10.0.1.20", 45020), {
      family: 4,
      state: TcpState.CLOSE_WAIT,
      local: { address: "10.0.1.20", port: 45020 },
      remote: { address: "10.0.1.30", port: 5432 },
      recvQ: 517,
      sendQ: 0,
      timer: null,
      uid: null,
      inode: null,
      cookie: null,
      owners: null,
    });
    assert.equal(sockets.find((s) => s.remote.port === 51240)!.sendQ, 52);
    const scoped = rowAt(sockets, "fe80::8:20ff:fe1a:2b3c", 22);
    assert.deepEqual([scoped.state, scoped.remote.port], [TcpState.ESTABLISHED, 61000]);
    assert.equal(rowAt(sockets, "::ffff:10.0.1.20", 8080).family, 6);
    const wild6 = sockets.filter((s) => s.family === 6 && s.local.address === "*");
    assert.deepEqual(
      wild6.map((s) => [s.state, s.local.port]),
      [
        [TcpState.CLOSE, 0],
        [TcpState.LISTEN, 22],
      ],
    );
  });
});

describe("parseNetstatSolaris on netstat -u", () => {
  it("reads owners and merges one socket's rows into one socket with every owner", () => {
    const { sockets, ownersKnown } = parseNetstatSolaris(fixture(NU), NU);
    assert.equal(ownersKnown, true);
    assert.deepEqual(counts(sockets), { LISTEN: 1, ESTABLISHED: 1, CLOSE_WAIT: 1, TIME_WAIT: 1 });
    assert.deepEqual(rowAt(sockets, "192.168.1.1", 22).owners, [
      { pid: 531, comm: "sshd", fd: null },
      { pid: 533, comm: "sshd", fd: null },
    ]);
    assert.deepEqual(rowAt(sockets, "192.168.1.1", 5432).owners, [{ pid: 2210, comm: "postgres", fd: null }]);
    // The TIME_WAIT row: no process can hold it.
    assert.equal(rowAt(sockets, "192.168.1.1", 80).owners, null);
  });
});

describe("parseNetstatSolaris on broken input", () => {
  it("warns for a bad row of a TCP section and throws when no row reads", () => {
    const text = [
      "TCP: IPv4",
      "   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State",
      "-------------------- -------------------- ----- ------ ----- ------ -----------",
      "10.0.0.1.22          10.0.0.2.5000        64128      x 128872      0 ESTABLISHED",
      "10.0.0.1.22          10.0.0.2.5001        64128      0 128872      0 ESTABLISHED",
    ];
    const r = parseNetstatSolaris(lines(text), "s.txt");
    assert.equal(r.sockets.length, 1);
    assert.deepEqual(r.warnings, ['s.txt:4: bad Swind/Send-Q/Rwind/Recv-Q "64128 x 128872 0"; row skipped']);
    assert.throws(() => parseNetstatSolaris(lines(text.slice(0, 4)), "s.txt"), InputError);
  });

  it("reads bare TCP rows with no section title, and ignores other text", () => {
    const text = "some banner\n      *.22                 *.*                0      0 24576      0 LISTEN\n";
    const r = parseNetstatSolaris(text, "bare.txt");
    assert.deepEqual(counts(r.sockets), { LISTEN: 1 });
    assert.deepEqual(r.warnings, []);
  });
});

function lines(text: string[]): string {
  return `${text.join("\n")}\n`;
}

describe("parseNetstatSolaris never crashes", () => {
  it("parses or throws InputError for any text", () => {
    const vocabulary = [
      "TCP: IPv4",
      "TCP: IPv6",
      "UDP: IPv4",
      "SCTP:",
      "Active UNIX domain sockets",
      "Local Address Remote Address Swind Send-Q Rwind Recv-Q State",
      "User Pid Command",
      "--------------------",
      "*.*",
      "*.22",
      "10.0.0.1.22",
      "::1.25",
      "0",
      "49152",
      "root",
      "531",
      "sshd",
      "IDLE",
      "BOUND",
      "LISTEN",
      "ESTABLISHED",
      "CLOSE_WAIT",
      "e1000g0",
    ];
    assertNeverCrashes(parseNetstatSolaris, vocabulary, [fixture(AN), fixture(NU)]);
  });
});
