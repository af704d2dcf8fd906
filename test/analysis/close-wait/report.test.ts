import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport } from "../../../src/analysis/close-wait/report.js";
import { CloseWaitTracker } from "../../../src/analysis/close-wait/tracker.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { facts, listener, owner, sock } from "./make.js";

const base = { ownersResolved: true, deniedCount: 0, backlogKnown: true, now: 0 };

function nodeSockets(n: number, firstInode: number) {
  return Array.from({ length: n }, (_, i) =>
    sock({
      local: "127.0.0.1:3000",
      remote: `127.0.0.1:${50000 + i}`,
      recvQ: 1,
      inode: firstInode + i,
      owners: [owner(51, 20 + i, "node")],
    }),
  );
}

describe("buildReport", () => {
  it("fills each owner from its process facts and gives the runtime's hint", () => {
    const report = buildReport({
      ...base,
      sockets: nodeSockets(2, 100),
      facts: new Map([
        [
          51,
          facts(51, {
            comm: "node",
            cmdline: "node /srv/api.js",
            user: "www",
            container: "abcdef0123456789",
          }),
        ],
      ]),
    });
    assert.equal(report.total, 2);
    assert.equal(report.severity, "info");
    const [g] = report.groups;
    assert.deepEqual(g?.owner, {
      pid: 51,
      comm: "node",
      cmdline: "node /srv/api.js",
      user: "www",
      unit: "container:abcdef0123456789",
      uid: 1001,
    });
    assert.equal(g?.cause, "fin-unread");
    assert.equal(g?.runtime, "node");
    assert.match(g?.hint ?? "", /paused socket/);
    assert.match(g?.why ?? "", /Recv-Q 1/);
    assert.equal(g?.growth, null, "one sample says nothing about growth");
    assert.equal(g?.remedies[2]?.command, "docker restart abcdef012345");
    assert.deepEqual(
      report.processes.map((p) => [p.pid, p.closeWait, p.runtime]),
      [[51, 2, "node"]],
    );
  });

  it("describes the listener's process for never-accepted sockets without making it their owner", () => {
    const report = buildReport({
      ...base,
      sockets: [
        listener("0.0.0.0:8080", 2, 1, [owner(42, 5, "java")]),
        sock({ local: "10.0.0.5:8080", recvQ: 1, inode: 0 }),
        sock({ local: "10.0.0.5:8080", recvQ: 1, inode: 0, remote: "10.0.0.9:2" }),
      ],
      facts: new Map([
        [
          42,
          facts(42, { comm: "java", threads: [{ tid: 42, name: "java", state: "D", wchan: "io_schedule" }] }),
        ],
      ]),
    });
    assert.equal(report.total, 2, "the listener is not counted");
    const [g] = report.groups;
    assert.equal(g?.owner, null);
    assert.equal(g?.severity, "critical");
    assert.equal(g?.listener?.ownerPid, 42);
    assert.equal(g?.runtime, "java");
    const [p] = report.processes;
    assert.equal(p?.pid, 42);
    assert.equal(p?.closeWait, 0);
    assert.equal(p?.threads?.blocked, 1);
  });

  it("puts the worst group first and reports growth from the tracker", () => {
    const first = nodeSockets(2, 100);
    const later = [...first, ...nodeSockets(4, 200)];
    const quiet = sock({ local: "10.0.0.5:9000", remote: "10.0.0.9:1", owners: [owner(60, 3)] });
    const tracker = new CloseWaitTracker();
    tracker.add(0, [...first, quiet]);
    tracker.add(60_000, [...later, quiet]);
    const report = buildReport({
      ...base,
      now: 60_000,
      tracker,
      sockets: [...later, quiet],
      facts: new Map([
        [51, facts(51, { comm: "node", fdCount: 1000, fdLimit: 1024 })],
        [60, facts(60)],
      ]),
    });
    const [worst, other] = report.groups;
    assert.equal(worst?.owner?.pid, 51);
    assert.equal(worst?.severity, "critical");
    assert.equal(worst?.growth?.new, 4);
    assert.equal(worst?.growth?.perMinute, 4);
    assert.equal(worst?.growth?.limitEtaSeconds, 360);
    assert.equal(other?.owner?.pid, 60);
    assert.equal(other?.severity, "info");
    assert.equal(other?.growth?.perMinute, 0);
    assert.equal(report.severity, "critical");
  });

  it("counts sockets of unknown owners and says why, without failing", () => {
    const report = buildReport({
      ...base,
      deniedCount: 2,
      sockets: [sock({ owners: [], state: TcpState.CLOSE_WAIT })],
      facts: new Map(),
    });
    assert.equal(report.total, 1);
    assert.equal(report.groups[0]?.owner, null);
    assert.match(report.groups[0]?.ownerNote ?? "", /other users could not be inspected/);
    assert.deepEqual(report.processes, []);
  });
});
