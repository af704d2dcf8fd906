import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseSs } from "../../src/capture/ss.js";
import { ssDurationMs } from "../../src/capture/ss-details.js";
import { InputError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { stateName, TcpState } from "../../src/model/tcp-state.js";
import { captureNames, captureText, readmeFacts } from "./captures-readme.js";

function counts(sockets: TcpSocket[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of sockets) c[stateName(s.state)] = (c[stateName(s.state)] ?? 0) + 1;
  return c;
}

function parseCapture(name: string) {
  return parseSs(captureText(name), name);
}

function find(sockets: TcpSocket[], local: string, port: number): TcpSocket {
  const s = sockets.find((x) => x.local.address === local && x.local.port === port);
  assert.ok(s, `no socket ${local}:${port}`);
  return s;
}

const facts = readmeFacts();
const ssCaptures = captureNames().filter((n) => facts.get(n)?.format === "ss");

describe("parseSs on the shared ss captures", () => {
  it("has the README's ss captures to read", () => assert.ok(ssCaptures.length >= 5));
  for (const name of ssCaptures) {
    it(`counts ${name} as the README does`, () => {
      const { sockets, warnings } = parseCapture(name);
      const expected = facts.get(name)!;
      assert.equal(sockets.length, expected.total);
      assert.deepEqual(counts(sockets), expected.states);
      assert.deepEqual(warnings, []);
    });
  }

  it("coreos -peaonmi: multi-line records, several owners, timers, ino/uid/sk, mapped v6", () => {
    const { sockets, ownersKnown } = parseCapture("coreos-sosreport__ss_-peaonmi.txt");
    assert.equal(ownersKnown, true);
    const ssh = find(sockets, "172.16.1.10", 22);
    assert.deepEqual(ssh.owners, [
      { pid: 3016, comm: "sshd", fd: 5 },
      { pid: 3002, comm: "sshd", fd: 5 },
    ]);
    assert.deepEqual(ssh.timer, { kind: "keepalive", expiresMs: 117 * 60_000, retrans: 0 });
    assert.equal(ssh.inode, 150882);
    assert.equal(ssh.cookie, String(0xa3));
    // Older ss printed 6 s 535 ms as "6.535ms".
    assert.deepEqual(find(sockets, "172.16.1.10", 60094).timer, {
      kind: "keepalive",
      expiresMs: 6535,
      retrans: 0,
    });
    assert.equal(find(sockets, "0.0.0.0", 39681).uid, 29);
    // No uid: printed with ino: means uid 0 (ss omits it).
    assert.equal(find(sockets, "0.0.0.0", 22).uid, 0);
    const rpc = find(sockets, "0.0.0.0", 111);
    assert.deepEqual(
      rpc.owners?.map((o) => o.pid),
      [1062, 1],
    );
    const mapped = sockets.filter((s) => s.local.address.startsWith("::ffff:"));
    assert.equal(mapped.length, 6);
    assert.ok(mapped.every((s) => s.family === 6 && s.state === TcpState.ESTABLISHED));
    // New-style ss: "*" is a dual-stack IPv6 wildcard ([::] and 0.0.0.0 are printed as such).
    const star = find(sockets, "*", 9978);
    assert.equal(star.family, 6);
    assert.deepEqual(star.remote, { address: "*", port: 0 });
    assert.equal(find(sockets, "::", 22).family, 6);
  });

  it("datadog --tcp: no Netid column, unbracketed v6 addresses, no owners", () => {
    const { sockets, ownersKnown } = parseCapture("datadog-integrations-core__ss_ipv6_tcp.txt");
    assert.equal(ownersKnown, false);
    assert.ok(
      sockets.every((s) => s.owners === null && s.family === 6 && s.inode === null && s.uid === null),
    );
    const listen = find(sockets, "::", 9200);
    assert.deepEqual([listen.state, listen.recvQ, listen.sendQ], [TcpState.LISTEN, 0, 50]);
    assert.deepEqual(listen.remote, { address: "::", port: 0 });
    assert.deepEqual(find(sockets, "::ffff:127.0.0.1", 2181).remote, {
      address: "::ffff:127.0.0.1",
      port: 43874,
    });
    assert.equal(find(sockets, "::1", 35056).state, TcpState.CLOSING);
  });

  it("insights docs: *:111 has two owners; the TIME-WAIT row has none (null)", () => {
    const { sockets, ownersKnown } = parseCapture("insights-core__ss-tupna_docs.txt");
    assert.equal(ownersKnown, true);
    const rpc = find(sockets, "*", 111);
    assert.deepEqual(rpc.owners, [
      { pid: 1139, comm: "rpcbind", fd: 5 },
      { pid: 1, comm: "systemd", fd: 41 },
    ]);
    // Old ss (":::port" for v6): "*" is IPv4's wildcard.
    assert.equal(rpc.family, 4);
    assert.equal(find(sockets, "10.67.116.74", 59568).owners, null);
  });

  it("insights -tupna: loopback ESTAB rows without users: get [] (ss -p looked)", () => {
    const { sockets } = parseCapture("insights-core__ss-tupna_timewait_estab.txt");
    assert.deepEqual(find(sockets, "127.0.0.1", 54718).owners, []);
    assert.deepEqual(find(sockets, "127.0.0.1", 3080).owners, []);
    assert.deepEqual(find(sockets, "10.67.116.74", 35606).owners, [{ pid: 15184, comm: "ssh", fd: 3 }]);
    const tw = sockets.filter((s) => s.state === TcpState.TIME_WAIT);
    assert.equal(tw.length, 3);
    assert.ok(tw.every((s) => s.owners === null));
    assert.deepEqual(find(sockets, "::1", 631).local, { address: "::1", port: 631 });
  });

  it("jc -tulpen: seven apache owners, uid and cookie from -e", () => {
    const { sockets } = parseCapture("jc__ubuntu1804_ss-tulpen.txt");
    const http = find(sockets, "0.0.0.0", 80);
    assert.equal(http.owners?.length, 7);
    assert.deepEqual(http.owners?.[0], { pid: 24795, comm: "/usr/sbin/apach", fd: 3 });
    assert.equal(http.inode, 40480);
    assert.equal(http.cookie, String(0x24));
    assert.equal(find(sockets, "0.0.0.0", 3689).uid, 1000);
  });
});

describe("parseSs on hand-written output", () => {
  it("reads ss -tan without header, unaligned, with %scope and CRLF", () => {
    const text = [
      "ESTAB 0 0 10.0.0.1%eth0:22 10.0.0.2:50000",
      "CLOSE-WAIT 1 0 [fe80::1%eth0]:8080 [fe80::2]:41000\r",
      "LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*",
    ].join("\n");
    const { sockets, ownersKnown, warnings } = parseSs(text, "t");
    assert.deepEqual(warnings, []);
    assert.equal(ownersKnown, false);
    assert.deepEqual(
      sockets.map((s) => [stateName(s.state), s.family, s.local.address, s.local.port, s.recvQ]),
      [
        ["ESTABLISHED", 4, "10.0.0.1", 22, 0],
        ["CLOSE_WAIT", 6, "fe80::1", 8080, 1],
        ["LISTEN", 4, "127.0.0.53", 53, 0],
      ],
    );
  });

  it("keeps tcp rows only, and tcp UNCONN as CLOSE", () => {
    const text = [
      "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
      'udp   ESTAB  0      0      10.0.0.1:53        10.0.0.9:5353     users:(("named",pid=5,fd=7))',
      "tcp   UNCONN 0      0      0.0.0.0:7000       0.0.0.0:*",
      "u_str ESTAB  0      0      * 123              * 124",
      "tcp   SYN-SENT 0    1      10.0.0.1:40000     10.0.0.9:443",
    ].join("\n");
    const { sockets, ownersKnown } = parseSs(text, "t");
    assert.deepEqual(
      sockets.map((s) => stateName(s.state)),
      ["CLOSE", "SYN_SENT"],
    );
    // users: on a udp row still shows ss ran with -p.
    assert.equal(ownersKnown, true);
    assert.deepEqual(sockets[1]!.owners, []);
  });

  it("a Process header alone does not make owners known (ss 6.1 prints it without -p)", () => {
    const text =
      "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nESTAB 0 0 1.2.3.4:22 5.6.7.8:9\n";
    const { sockets, ownersKnown } = parseSs(text, "t");
    assert.equal(ownersKnown, false);
    assert.equal(sockets[0]!.owners, null);
  });

  it("reads old-style users:((name,pid,fd)), tid= and names with spaces", () => {
    const text = [
      'ESTAB 0 0 1.2.3.4:22 5.6.7.8:9 users:(("sshd",1026,3))',
      'ESTAB 0 0 1.2.3.4:23 5.6.7.8:9 users:(("Passenger Rac",pid=7,tid=8,fd=9),("Passenger Rac",pid=7,tid=10,fd=9))',
    ].join("\n");
    const { sockets } = parseSs(text, "t");
    assert.deepEqual(sockets[0]!.owners, [{ pid: 1026, comm: "sshd", fd: 3 }]);
    // Two threads of one process share the fd: one owner.
    assert.deepEqual(sockets[1]!.owners, [{ pid: 7, comm: "Passenger Rac", fd: 9 }]);
  });

  it("attaches indented continuation lines to the row above", () => {
    const text = [
      "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port",
      "tcp ESTAB 0 0 1.2.3.4:22 5.6.7.8:9",
      '\t users:(("a",pid=1,fd=2)) timer:(on,1.500sec,2) uid:7 ino:99 sk:ff',
      "tcp ESTAB 0 0 1.2.3.4:23 5.6.7.8:9",
      "    skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0,d0) cubic rtt:0.1/0.05",
    ].join("\n");
    const [a, b] = parseSs(text, "t").sockets;
    assert.deepEqual(a!.owners, [{ pid: 1, comm: "a", fd: 2 }]);
    assert.deepEqual(a!.timer, { kind: "on", expiresMs: 1500, retrans: 2 });
    assert.deepEqual([a!.uid, a!.inode, a!.cookie], [7, 99, "255"]);
    assert.deepEqual([b!.timer, b!.uid, b!.inode, b!.cookie, b!.owners], [null, null, null, null, []]);
  });

  it("warns on bad rows and keeps the good ones; warnings name file and line", () => {
    const text =
      "ESTAB 0 0 1.2.3.4:22 5.6.7.8:9\nESTAB x 0 1.2.3.4:23 5.6.7.8:9\nESTAB 0 0 localhost:s/sh 5.6.7.8:9\n";
    const { sockets, warnings } = parseSs(text, "cap.txt");
    assert.equal(sockets.length, 1);
    assert.deepEqual(warnings, [
      "cap.txt:2: bad Recv-Q/Send-Q, row skipped",
      'cap.txt:3: bad address "localhost:s/sh", row skipped',
    ]);
  });

  it("skips UNCONN rows without a Netid column, with one warning", () => {
    const { sockets, warnings } = parseSs(
      "UNCONN 0 0 0.0.0.0:68 0.0.0.0:*\nLISTEN 0 5 0.0.0.0:22 0.0.0.0:*\n",
      "t",
    );
    assert.equal(sockets.length, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /1 UNCONN rows skipped/);
  });

  it("caps per-line warnings and counts the rest", () => {
    const bad = Array.from({ length: 30 }, () => "ESTAB 0 0 nonsense 5.6.7.8:9");
    const { warnings } = parseSs(["LISTEN 0 5 0.0.0.0:22 0.0.0.0:*", ...bad].join("\n"), "t");
    assert.equal(warnings.length, 21);
    assert.equal(warnings[20], "t: 10 more lines skipped");
  });

  it("throws InputError for text that is not ss, or ss without a State column", () => {
    assert.throws(() => parseSs("hello\nworld\n", "x"), InputError);
    assert.throws(() => parseSs("ESTAB 0 0 a b\n", "x"), /x: no ss row could be read/);
    assert.throws(
      () => parseSs("Recv-Q Send-Q Local Address:Port Peer Address:Port\n0 0 1.2.3.4:5 6.7.8.9:10\n", "x"),
      /no State column/,
    );
  });

  it("an empty capture or a header alone is an empty table", () => {
    assert.deepEqual(parseSs("", "x"), { sockets: [], warnings: [], ownersKnown: false });
    assert.equal(
      parseSs("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n", "x").sockets.length,
      0,
    );
  });

  it("never throws anything but InputError on arbitrary text", () => {
    const ssish = fc.constantFrom(
      "tcp",
      "ESTAB",
      "TIME-WAIT",
      "UNCONN",
      "0",
      "12",
      "1.2.3.4:5",
      "[::1]:80",
      "*:*",
      ":::22",
      'users:(("a",pid=1,fd=2))',
      "users:((",
      "timer:(on,1min,0)",
      "sk:ffffffffffffffffff",
      "ino:",
      "\t",
      "\n",
      " ",
      "\r",
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(ssish, { maxLength: 40 }).map((a) => a.join(" ")),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseSs(t, "p");
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("ssDurationMs", () => {
  const cases: Array<[string, number | null]> = [
    ["200ms", 200],
    ["6.535ms", 6535],
    ["6.035sec", 6035],
    ["10sec", 10_000],
    ["52sec", 52_000],
    ["1min20sec", 80_000],
    ["1min", 60_000],
    ["117min", 7_020_000],
    ["", 0],
    ["soon", null],
  ];
  for (const [text, ms] of cases) it(`"${text}" -> ${ms}`, () => assert.equal(ssDurationMs(text), ms));
});
