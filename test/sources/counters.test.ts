import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseCounterPairs, parseSockstat, readCounters, readSockstat } from "../../src/sources/counters.js";
import { ProcFs } from "../../src/sources/procfs.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const host1 = new ProcFs(join(repoRoot, "test", "fixtures", "proc", "host1"));

describe("counters", () => {
  it("pairs name and value lines per group, negative values included", () => {
    const text = "TcpExt: TW TCPTimeWaitOverflow \nTcpExt: 12 3\nTcp: MaxConn CurrEstab\nTcp: -1 4\n";
    assert.deepEqual(parseCounterPairs(text), {
      "TcpExt.TW": 12,
      "TcpExt.TCPTimeWaitOverflow": 3,
      "Tcp.MaxConn": -1,
      "Tcp.CurrEstab": 4,
    });
  });

  it("reports lines that do not pair up and keeps what does", () => {
    const warnings: string[] = [];
    const text = "TcpExt: A B C\nTcpExt: 1 2\nIpExt: X\nTcp: Y\nTcp: 7\nUdp: Z\nUdp: zz\n";
    const c = parseCounterPairs(text, "snmp", warnings);
    assert.deepEqual(c, { "TcpExt.A": 1, "TcpExt.B": 2, "Tcp.Y": 7 });
    assert.deepEqual(warnings, [
      "snmp:2: TcpExt has 3 names but 2 values",
      'snmp:3: no value line follows the "IpExt" names; skipped',
      'snmp:7: Udp.Z is not a number: "zz"',
    ]);
  });

  it("parses sockstat's TCP line", () => {
    const s = parseSockstat(
      "sockets: used 14\r\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 137\nUDP: inuse 0 mem 0\n",
    );
    assert.deepEqual(s, { socketsUsed: 14, tcp: { inuse: 1, orphan: 0, tw: 0, alloc: 1, mem: 137 } });
    assert.deepEqual(parseSockstat("TCP: inuse 3\n").tcp, {
      inuse: 3,
      orphan: null,
      tw: null,
      alloc: null,
      mem: null,
    });
    assert.deepEqual(parseSockstat("garbage"), { socketsUsed: null, tcp: null });
  });

  it("reads the fixture host's netstat, snmp and sockstat", () => {
    const { counters, warnings } = readCounters(host1);
    assert.deepEqual(warnings, []);
    assert.equal(counters["TcpExt.TCPTimeWaitOverflow"], 7);
    assert.equal(counters["TcpExt.ListenOverflows"], 3);
    assert.equal(counters["TcpExt.TW"], 1520);
    assert.equal(counters["Tcp.CurrEstab"], 3);
    assert.equal(counters["Tcp.MaxConn"], -1);
    assert.equal(counters["IpExt.InOctets"], 123456789);
    assert.deepEqual(readSockstat(host1), {
      socketsUsed: 142,
      tcp: { inuse: 9, orphan: 0, tw: 5, alloc: 12, mem: 3 },
    });
  });

  it("reads this host's counters without a warning", () => {
    const { counters, warnings } = readCounters(new ProcFs());
    assert.deepEqual(warnings, []);
    assert.equal(typeof counters["TcpExt.TCPTimeWaitOverflow"], "number");
    assert.equal(typeof readSockstat(new ProcFs())?.tcp?.tw, "number");
  });

  it("turns a missing file into a warning", () => {
    const r = readCounters(new ProcFs("/nonexistent"));
    assert.deepEqual(r.counters, {});
    assert.equal(r.warnings.length, 2);
    assert.equal(readSockstat(new ProcFs("/nonexistent")), null);
  });
});
