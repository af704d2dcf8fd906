/**
 * Live: real sockets on loopback, checked through bin/sockdoc by both the
 * netlink and the /proc source.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { SocketJson } from "../../src/render/socket-json.js";
import {
  countSsStates,
  createNetns,
  isRoot,
  type MadeSockets,
  makeSockets,
  sockdoc,
} from "../support/run.js";

function lsJson(args: string[], netns?: string): SocketJson[] {
  const r = sockdoc(["ls", ...args, "--json"], netns ? { netns } : {});
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { schema: string; total: number; sockets: SocketJson[] };
  assert.equal(doc.schema, "sockdoc.ls/v1");
  assert.equal(doc.total, doc.sockets.length);
  return doc.sockets;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

for (const host of ["127.0.0.1", "::1"]) {
  describe(`live sockets on ${host}`, () => {
    let made: MadeSockets;
    before(async () => {
      made = await makeSockets({ host, established: 3, closeWait: 2, timeWait: 4 });
    });
    after(() => made.child.kill());

    for (const source of ["netlink", "proc"]) {
      it(`finds the CLOSE_WAIT sockets with owner pid and fd (${source})`, () => {
        const sockets = lsJson([
          "state",
          "close-wait",
          "sport",
          "=",
          `:${made.leakyPort}`,
          "-p",
          "--source",
          source,
        ]);
        assert.deepEqual(
          sorted(sockets.map((s) => s.remote.port)),
          sorted(made.closeWait.map((p) => p.remotePort)),
        );
        for (const s of sockets) {
          assert.equal(s.state, "CLOSE_WAIT");
          assert.equal(s.local.address, host);
          assert.equal(s.recvQ, 0, "the server read EOF");
          const want = made.closeWait.find((p) => p.remotePort === s.remote.port);
          assert.deepEqual(s.owners, [{ pid: made.pid, comm: "node", fd: want?.fd }]);
        }
      });

      it(`finds the TIME_WAIT sockets without owners (${source})`, () => {
        const sockets = lsJson([
          "state",
          "time-wait",
          "dport",
          "=",
          `:${made.politePort}`,
          "-p",
          "-o",
          "--source",
          source,
        ]);
        assert.deepEqual(
          sorted(sockets.map((s) => s.local.port)),
          sorted(made.timeWait.map((p) => p.localPort)),
        );
        for (const s of sockets) {
          assert.equal(s.owners, null, "TIME_WAIT has no owner");
          assert.equal(s.inode, 0);
          assert.equal(s.timer?.kind, "timewait");
          assert.ok(s.timer.expiresMs > 0 && s.timer.expiresMs <= 60_000, `expires ${s.timer.expiresMs}`);
        }
      });

      it(`finds the ESTABLISHED client sockets (${source})`, () => {
        const sockets = lsJson([
          "state",
          "established",
          "dport",
          "=",
          `:${made.politePort}`,
          "--source",
          source,
        ]);
        assert.deepEqual(
          sorted(sockets.map((s) => s.local.port)),
          sorted(made.established.map((p) => p.localPort)),
        );
        assert.ok(
          sockets.every((s) => s.owners === null),
          "owners are not looked up without -p",
        );
      });
    }
  });
}

describe("summary against ss on the same host", () => {
  const reason = !isRoot
    ? "needs root to create a network namespace"
    : spawnSync("ss", ["-V"]).status !== 0
      ? "ss is not installed"
      : false;
  let netns: { name: string; remove: () => void } | undefined;
  let made: MadeSockets | undefined;
  before(async () => {
    if (reason) return;
    netns = createNetns("summary");
    made = await makeSockets({ netns: netns.name, established: 5, closeWait: 3, timeWait: 7 });
  });
  after(() => {
    made?.child.kill();
    netns?.remove();
  });

  it("counts per state equal ss -tan in a namespace the test made", { skip: reason }, () => {
    const ns = netns!.name;
    const r = sockdoc(["summary", "--json"], { netns: ns });
    assert.equal(r.status, 0, r.stderr);
    const ours = JSON.parse(r.stdout) as { total: number; states: Record<string, number> };
    const ss = spawnSync("ip", ["netns", "exec", ns, "ss", "-tan"], { encoding: "utf8" });
    const theirs = countSsStates(ss.stdout);
    assert.deepEqual({ total: ours.total, states: ours.states }, theirs);
    // 5 established pairs + 3 CLOSE_WAIT (and their FIN_WAIT2 peers) + 7 TIME_WAIT + 2 listeners.
    assert.equal(ours.states.CLOSE_WAIT, 3);
    // A close now and then has not reached TIME_WAIT yet; the ss comparison above is exact.
    assert.ok(
      (ours.states.TIME_WAIT ?? 0) >= 5 && (ours.states.TIME_WAIT ?? 0) <= 7,
      JSON.stringify(ours.states),
    );
    assert.equal(ours.states.ESTABLISHED, 10);
    assert.equal(ours.states.LISTEN, 2);
  });
});
