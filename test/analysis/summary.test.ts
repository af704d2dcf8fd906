import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarize, topCounts } from "../../src/analysis/summary.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";

function sock(state: TcpState, lport: number, raddr: string, owners: TcpSocket["owners"] = null): TcpSocket {
  return {
    family: 4,
    state,
    local: { address: "10.0.0.1", port: lport },
    remote: { address: raddr, port: 40000 },
    recvQ: 0,
    sendQ: 0,
    timer: null,
    uid: 0,
    inode: 1,
    cookie: null,
    owners,
  };
}

describe("summarize", () => {
  const sockets = [
    sock(TcpState.LISTEN, 80, "0.0.0.0"),
    sock(TcpState.ESTABLISHED, 80, "10.0.0.2", [{ pid: 7, comm: "nginx", fd: 4 }]),
    sock(TcpState.CLOSE_WAIT, 80, "10.0.0.2", [{ pid: 7, comm: "nginx", fd: 5 }]),
    sock(TcpState.CLOSE_WAIT, 8080, "10.0.0.3", [{ pid: 9, comm: "java", fd: 9 }]),
    sock(TcpState.NEW_SYN_RECV, 80, "10.0.0.4"),
  ];

  it("counts states by canonical name, NEW_SYN_RECV as SYN_RECV, non-zero only", () => {
    const s = summarize(sockets);
    assert.equal(s.total, 5);
    assert.deepEqual(s.states, { ESTABLISHED: 1, SYN_RECV: 1, CLOSE_WAIT: 2, LISTEN: 1 });
    assert.deepEqual(Object.keys(s.states), ["ESTABLISHED", "SYN_RECV", "CLOSE_WAIT", "LISTEN"]);
  });

  it("leaves LISTEN out of the top lists and owners null unless resolved", () => {
    const s = summarize(sockets, 2);
    assert.deepEqual(s.topLocalPorts, [
      { port: 80, count: 3 },
      { port: 8080, count: 1 },
    ]);
    assert.deepEqual(s.topPeers[0], { address: "10.0.0.2", count: 2 });
    assert.equal(s.topOwners, null);
    assert.deepEqual(summarize(sockets, 5, true).topOwners, [
      { pid: 7, comm: "nginx", count: 2 },
      { pid: 9, comm: "java", count: 1 },
    ]);
  });

  it("breaks ties by key", () => {
    const m = new Map([
      ["b", 1],
      ["a", 1],
      ["c", 2],
    ]);
    assert.deepEqual(
      topCounts(m, 3).map((c) => c.key),
      ["c", "a", "b"],
    );
  });
});

describe("topCounts", () => {
  it("agrees with a full sort on random counts", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 50; round++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < 200; i++) counts.set(rand() % 500, (rand() % 9) + 1);
      const n = round % 12;
      const sorted = [...counts]
        .map(([key, count]) => ({ key, count }))
        .sort((a, b) => b.count - a.count || a.key - b.key)
        .slice(0, n);
      assert.deepEqual(topCounts(counts, n), sorted);
    }
  });
});
