import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { directionOf, groupCloseWait } from "../../../src/analysis/close-wait/grouping.js";
import { findListener } from "../../../src/analysis/close-wait/listener.js";
import { listener, owner, sock } from "./make.js";

const ctx = { ownersResolved: true, deniedCount: 0, backlogKnown: true };

describe("groupCloseWait", () => {
  it("groups by owner, then port, then cause, with counts, fds, Recv-Q range and peers", () => {
    const sockets = [
      listener("0.0.0.0:8080", 0, 128, [owner(10, 3)]),
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:50001", recvQ: 7, owners: [owner(10, 12)] }),
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:50002", recvQ: 3, owners: [owner(10, 11)] }),
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.8:50003", recvQ: 2, owners: [owner(10, 15)] }),
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:50004", recvQ: 0, owners: [owner(10, 14)] }),
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:50005", recvQ: 2, owners: [owner(20, 4)] }),
    ];
    const groups = groupCloseWait(sockets, ctx);
    assert.equal(groups.length, 3);
    const [big, ...rest] = groups;
    assert.deepEqual(
      { pid: big?.owner?.pid, port: big?.localPort, cause: big?.cause, count: big?.count },
      { pid: 10, port: 8080, cause: "data-unread", count: 3 },
    );
    assert.deepEqual(big?.fds, [11, 12, 15]);
    assert.deepEqual(big?.recvQ, { min: 2, max: 7 });
    assert.deepEqual(big?.peers, [
      { address: "10.0.0.9", count: 2 },
      { address: "10.0.0.8", count: 1 },
    ]);
    assert.deepEqual(
      rest.map((g) => [g.owner?.pid, g.cause, g.count]),
      [
        [10, "eof-not-closed", 1],
        [20, "data-unread", 1],
      ],
    );
  });

  it("ignores sockets in other states and LISTEN sockets themselves", () => {
    const groups = groupCloseWait(
      [listener("0.0.0.0:80", 0, 10), sock({ state: 1, owners: [owner(1, 1)] })],
      ctx,
    );
    assert.deepEqual(groups, []);
  });

  it("groups outgoing connections by the remote service port, not the ephemeral local port", () => {
    const groups = groupCloseWait(
      [
        sock({ local: "10.0.0.5:43300", remote: "10.0.0.7:5432", owners: [owner(7, 41)] }),
        sock({ local: "10.0.0.5:43302", remote: "10.0.0.7:5432", owners: [owner(7, 42)] }),
        sock({ local: "10.0.0.5:43304", remote: "10.0.0.6:5432", owners: [owner(7, 43)] }),
      ],
      ctx,
    );
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.direction, "outgoing");
    assert.equal(groups[0]?.localPort, null);
    assert.equal(groups[0]?.peerPort, 5432);
    assert.equal(groups[0]?.count, 3);
  });

  it("puts never-accepted sockets under their listener with its queue and backlog, owner null", () => {
    const groups = groupCloseWait(
      [
        listener("0.0.0.0:8080", 2, 1, [owner(4242, 5, "java")]),
        sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:1", recvQ: 1, inode: 0 }),
        sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:2", recvQ: 9, inode: 0 }),
      ],
      ctx,
    );
    assert.equal(groups.length, 1);
    const g = groups[0];
    assert.equal(g?.cause, "not-accepted");
    assert.equal(g?.owner, null);
    assert.match(g?.ownerNote ?? "", /not accepted/);
    assert.deepEqual(g?.listener, {
      local: { address: "0.0.0.0", port: 8080 },
      backlog: 1,
      acceptQueue: 2,
      full: true,
      ownerPid: 4242,
      ownerComm: "java",
    });
  });

  it("leaves the backlog unknown when the source does not report it (/proc/net/tcp)", () => {
    const [g] = groupCloseWait(
      [listener("0.0.0.0:8080", 1, 0), sock({ local: "10.0.0.5:8080", recvQ: 1, inode: 0 })],
      { ...ctx, backlogKnown: false },
    );
    assert.equal(g?.listener?.backlog, null);
    assert.equal(g?.listener?.full, null);
    assert.equal(g?.listener?.acceptQueue, 1);
  });

  it("charges inherited sockets to the lowest pid and lists the others", () => {
    const [g] = groupCloseWait([sock({ owners: [owner(30, 7), owner(12, 9), owner(30, 8)] })], ctx);
    assert.equal(g?.owner?.pid, 12);
    assert.deepEqual(g?.fds, [9]);
    assert.deepEqual(g?.sharedWith, [30]);
  });

  it("keeps sockets with unknown owners, with a note instead of an error", () => {
    const sockets = [sock({ owners: [], uid: 1002 }), sock({ owners: [], uid: 1002 })];
    const [denied] = groupCloseWait(sockets, {
      ...ctx,
      deniedCount: 3,
      userOf: (uid) => (uid === 1002 ? "bob" : null),
    });
    assert.equal(denied?.owner, null);
    assert.equal(denied?.count, 2);
    assert.equal(denied?.cause, "eof-not-closed");
    assert.match(denied?.ownerNote ?? "", /user bob, uid 1002/);
    assert.match(denied?.ownerNote ?? "", /3 processes of other users/);
    assert.match(denied?.ownerNote ?? "", /run as root/);
  });
});

describe("directionOf", () => {
  const range = { low: 32768, high: 60999 };
  it("is incoming when a listener has the local port, even an ephemeral one", () => {
    assert.equal(
      directionOf(sock({ local: "127.0.0.1:40000", remote: "127.0.0.1:50000" }), new Set([40000]), range),
      "incoming",
    );
  });
  it("is outgoing from an ephemeral local port to a service port", () => {
    assert.equal(
      directionOf(sock({ local: "10.0.0.5:43000", remote: "10.0.0.7:443" }), new Set(), range),
      "outgoing",
    );
  });
  it("is incoming on a service port without a listener (it may have closed)", () => {
    assert.equal(
      directionOf(sock({ local: "10.0.0.5:8080", remote: "10.0.0.7:43000" }), new Set(), range),
      "incoming",
    );
  });
});

describe("findListener", () => {
  it("prefers the exact address, then a wildcard of the same family, then any wildcard", () => {
    const exact = listener("10.0.0.5:80", 1, 5);
    const any4 = listener("0.0.0.0:80", 2, 5);
    const any6 = listener("[::]:80", 3, 5);
    const s = sock({ local: "10.0.0.5:80" });
    assert.equal(findListener([any6, any4, exact], s), exact);
    assert.equal(findListener([any6, any4], s), any4);
    assert.equal(findListener([any6], s), any6);
    assert.equal(findListener([listener("10.0.0.6:80", 1, 5)], s), null);
    assert.equal(findListener([listener("0.0.0.0:81", 1, 5)], s), null);
  });

  it("matches an IPv4-mapped connection to the IPv4 listener address", () => {
    const l = listener("10.0.0.5:80", 1, 5);
    assert.equal(findListener([l], sock({ local: "[::ffff:10.0.0.5]:80" })), l);
  });
});
