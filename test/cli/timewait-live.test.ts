/**
 * Live: real TIME_WAIT sockets (the client closes first) on loopback, then
 * in a namespace of the test's own with a 500-port range, where the report
 * must see the ports running out.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  createNetns,
  isRoot,
  type MadeSockets,
  makeSockets,
  setNetnsSysctls,
  sockdoc,
} from "../support/run.js";

interface Dest {
  local: { address: string; port: number | null };
  remote: { address: string; port: number | null };
  direction: string;
  count: number;
  remainingMs: { min: number; max: number };
  portsInUse: number;
  portsLeft: number;
  ratePerSec: number;
  exhaustedInSec: number | null;
  reuse: boolean;
  severity: string;
}

interface Doc {
  total: number;
  settings: { portRange: number[]; budget: number; twReuse: number };
  destinations: Dest[];
}

function report(args: string[], netns?: string): { status: number | null; doc: Doc } {
  const r = sockdoc(["timewait", "--json", ...args], netns ? { netns } : {});
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { status: r.status, doc: JSON.parse(r.stdout) as Doc };
}

const TIME_WAIT = 200;

describe("live TIME_WAIT on 127.0.0.1", () => {
  let made: MadeSockets;
  before(async () => {
    made = await makeSockets({ host: "127.0.0.1", established: 3, closeWait: 0, timeWait: TIME_WAIT });
  });
  after(() => made.child.kill());

  for (const source of ["netlink", "proc"]) {
    it(`groups the client's TIME_WAIT under its destination (${source})`, () => {
      const { doc } = report(["--source", source, "dport", "=", `:${made.politePort}`]);
      assert.equal(doc.total, TIME_WAIT);
      assert.equal(doc.destinations.length, 1);
      const d = doc.destinations[0]!;
      assert.equal(d.direction, "outgoing");
      assert.deepEqual(d.local, { address: "127.0.0.1", port: null });
      assert.deepEqual(d.remote, { address: "127.0.0.1", port: made.politePort });
      assert.equal(d.count, TIME_WAIT);
      // The three open connections to the same server hold ports too.
      assert.equal(d.portsInUse, TIME_WAIT + 3);
      assert.equal(d.portsLeft, doc.settings.budget - TIME_WAIT - 3);
      assert.ok(d.remainingMs.min > 0 && d.remainingMs.max <= 60_000, JSON.stringify(d.remainingMs));
      // All were made within the last seconds: at most 200 per 10 s window.
      assert.ok(d.ratePerSec > 0 && d.ratePerSec <= TIME_WAIT / 10, String(d.ratePerSec));
      const reuse = Number(readFileSync("/proc/sys/net/ipv4/tcp_tw_reuse", "utf8"));
      const timestamps = Number(readFileSync("/proc/sys/net/ipv4/tcp_timestamps", "utf8"));
      assert.equal(d.reuse, (reuse === 1 || reuse === 2) && timestamps !== 0);
    });
  }

  it("shows the destination in the table", () => {
    const r = sockdoc(["timewait", "dport", "=", `:${made.politePort}`], { env: { COLUMNS: "80" } });
    assert.equal(r.status, 0, r.stderr);
    const row = new RegExp(`127\\.0\\.0\\.1 -> 127\\.0\\.0\\.1:${made.politePort} +out +${TIME_WAIT} `);
    assert.match(r.stdout, row);
  });
});

const notRoot = isRoot ? false : "needs root to create a network namespace";

describe("live port exhaustion in a namespace", { skip: notRoot }, () => {
  let ns: ReturnType<typeof createNetns>;
  let made: MadeSockets | undefined;
  before(async () => {
    ns = createNetns("tw");
    // Only the test's own namespace: 500 ports, no reuse.
    setNetnsSysctls(ns.name, "net.ipv4.ip_local_port_range=40000 40499", "net.ipv4.tcp_tw_reuse=0");
    made = await makeSockets({ netns: ns.name, established: 0, closeWait: 0, timeWait: 480 });
  });
  after(() => {
    made?.child.kill();
    ns.remove();
  });

  it("sees the ports running out and fails on critical", () => {
    const { status, doc } = report(["--fail-on", "critical"], ns.name);
    assert.equal(status, 1);
    assert.deepEqual(doc.settings.portRange, [40000, 40499]);
    assert.equal(doc.settings.twReuse, 0);
    // The maker's two servers listen on ports from the range: 498 usable.
    assert.equal(doc.settings.budget, 498);
    const d = doc.destinations.find((x) => x.remote.port === made!.politePort)!;
    assert.equal(d.direction, "outgoing");
    assert.equal(d.count, 480);
    assert.equal(d.portsLeft, 18);
    assert.equal(d.severity, "critical");
    assert.equal(d.reuse, false);
    // 480 closes in the last seconds against 498 / 60 = 8.3/s sustainable: exhaustion within the minute.
    assert.notEqual(d.exhaustedInSec, null);
    assert.ok((d.exhaustedInSec as number) < 60);
  });
});
