import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { killFilter, remediesFor } from "../../../src/analysis/close-wait/remedies.js";
import type { CloseWaitGroup } from "../../../src/analysis/close-wait/types.js";
import { compileFilter } from "../../../src/filter/compile.js";
import { owner, sock } from "./make.js";

function group(over: Partial<CloseWaitGroup>): CloseWaitGroup {
  return {
    owner: { pid: 42, comm: "java", cmdline: null, user: null, unit: null, uid: null },
    ownerNote: null,
    sharedWith: [],
    direction: "incoming",
    localPort: 8080,
    peerPort: null,
    count: 3,
    recvQ: { min: 0, max: 0 },
    cause: "eof-not-closed",
    fds: [5, 6, 7],
    peers: [
      { address: "10.0.0.9", count: 2 },
      { address: "10.0.0.8", count: 1 },
    ],
    listener: null,
    ...over,
  };
}

const ctx = {
  evidence: "Recv-Q 0: ...",
  unit: null,
  container: null,
  overlapping: 0,
  severity: "info" as const,
};

describe("killFilter", () => {
  it("selects the group's sockets in the filter language sockdoc kill takes", () => {
    const inbound = killFilter(group({}));
    assert.equal(inbound, "state close-wait sport = :8080");
    const outbound = killFilter(
      group({
        direction: "outgoing",
        localPort: null,
        peerPort: 5432,
        peers: [{ address: "10.0.0.7", count: 3 }],
      }),
    );
    assert.equal(outbound, "state close-wait dport = :5432 dst 10.0.0.7");
    const v6 = killFilter(group({ localPort: 9000, peers: [{ address: "::1", count: 1 }] }));
    assert.equal(v6, "state close-wait sport = :9000 dst ::1");
  });

  it("parses and matches exactly the group's sockets", () => {
    const f = compileFilter(
      (
        killFilter(
          group({
            direction: "outgoing",
            localPort: null,
            peerPort: 5432,
            peers: [{ address: "10.0.0.7", count: 1 }],
          }),
        ) as string
      ).split(" "),
    );
    assert.equal(
      f.matches(sock({ local: "10.0.0.5:40000", remote: "10.0.0.7:5432", owners: [owner(1, 1)] })),
      true,
    );
    assert.equal(f.matches(sock({ local: "10.0.0.5:40000", remote: "10.0.0.6:5432" })), false);
    assert.equal(f.matches(sock({ local: "10.0.0.5:40000", remote: "10.0.0.7:5433" })), false);
    assert.equal(f.matches(sock({ state: 1, local: "10.0.0.5:40000", remote: "10.0.0.7:5432" })), false);
  });
});

describe("remediesFor", () => {
  it("ranks fixing the app first, closing the sockets second, restarting last", () => {
    const r = remediesFor(group({}), ctx);
    assert.deepEqual(
      r.map((x) => [x.rank, x.kind]),
      [
        [1, "fix"],
        [2, "close"],
        [3, "restart"],
      ],
    );
    assert.match(r[0]?.text ?? "", /^Fix java \(pid 42\): Recv-Q 0/);
    assert.equal(r[1]?.command, "sockdoc kill state close-wait sport = :8080");
    assert.match(r[1]?.text ?? "", /ECONNABORTED/);
    assert.equal(r[2]?.command, null);
  });

  it("restarts the systemd unit, else the container", () => {
    assert.equal(
      remediesFor(group({}), { ...ctx, unit: "shop.service" })[2]?.command,
      "systemctl restart shop.service",
    );
    assert.equal(
      remediesFor(group({}), { ...ctx, container: "3f4e5a6b7c8d9e0f1a2b" })[2]?.command,
      "docker restart 3f4e5a6b7c8d",
    );
  });

  it("names the listener's process for queued connections and warns about overlapping filters", () => {
    const g = group({
      owner: null,
      cause: "not-accepted",
      listener: {
        local: { address: "0.0.0.0", port: 8080 },
        backlog: 1,
        acceptQueue: 1,
        full: false,
        ownerPid: 77,
        ownerComm: "python3",
      },
    });
    const r = remediesFor(g, { ...ctx, overlapping: 2, severity: "critical" });
    assert.match(r[0]?.text ?? "", /^Fix python3 \(pid 77\)/);
    assert.match(r[1]?.text ?? "", /also matches 2 other groups/);
    assert.match(r[1]?.text ?? "", /first to buy time/);
  });
});

describe("a peer address that is not an IP address (a damaged capture)", () => {
  for (const address of ["hello", "999.999.999.999", "10.0.0.1; rm -rf /"]) {
    it(`never puts ${JSON.stringify(address)} into a suggested command`, () => {
      const g = group({
        direction: "outgoing",
        localPort: null,
        peerPort: 5432,
        peers: [{ address, count: 3 }],
      });
      assert.deepEqual(killFilter(g), { badAddress: address });
      const close = remediesFor(g, ctx).find((r) => r.kind === "close")!;
      assert.equal(close.command, null);
      assert.match(close.text, /No command is suggested: the peer address .* is not an IP address/);
      for (const r of remediesFor(g, ctx))
        assert.ok(!r.command?.includes(address.slice(0, 5)), r.command ?? "");
    });
  }
});
