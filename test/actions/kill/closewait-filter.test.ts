/**
 * The filter `sockdoc closewait` prints for `sockdoc kill` (remedies.ts
 * killFilter) must pass kill's refusals and select that group's sockets only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFilter } from "../../../src/actions/kill/refusals.js";
import { killFilter } from "../../../src/analysis/close-wait/remedies.js";
import type { CloseWaitGroup } from "../../../src/analysis/close-wait/types.js";
import { compileFilter } from "../../../src/filter/compile.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock } from "./make.js";

function group(over: Partial<CloseWaitGroup>): CloseWaitGroup {
  return {
    owner: null,
    ownerNote: null,
    sharedWith: [],
    direction: "incoming",
    localPort: 8080,
    peerPort: null,
    count: 1,
    recvQ: { min: 0, max: 0 },
    cause: "eof-not-closed",
    fds: [],
    peers: [],
    listener: null,
    ...over,
  };
}

const cases: Array<{ name: string; g: CloseWaitGroup; hit: TcpSocket[]; miss: TcpSocket[] }> = [
  {
    name: "inbound, one IPv4 peer",
    g: group({ peers: [{ address: "10.0.0.9", count: 3 }] }),
    hit: [sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:40001" })],
    miss: [
      sock({ local: "10.0.0.5:8080", remote: "10.0.0.8:40001" }),
      sock({ state: TcpState.ESTABLISHED, local: "10.0.0.5:8080", remote: "10.0.0.9:40002" }),
      sock({ state: TcpState.LISTEN, local: "10.0.0.5:8080", remote: "0.0.0.0:0" }),
      sock({ local: "10.0.0.5:8081", remote: "10.0.0.9:40001" }),
    ],
  },
  {
    name: "inbound, one IPv6 peer",
    g: group({ peers: [{ address: "::1", count: 1 }] }),
    hit: [sock({ local: "[::1]:8080", remote: "[::1]:40001" })],
    miss: [sock({ local: "[::1]:8080", remote: "[::2]:40001" })],
  },
  {
    name: "inbound, IPv4-mapped peer",
    g: group({ peers: [{ address: "::ffff:10.0.0.9", count: 1 }] }),
    hit: [sock({ local: "[::ffff:10.0.0.5]:8080", remote: "[::ffff:10.0.0.9]:40001" })],
    miss: [sock({ local: "[::ffff:10.0.0.5]:8080", remote: "[::ffff:10.0.0.8]:40001" })],
  },
  {
    name: "inbound, many peers",
    g: group({
      peers: [
        { address: "10.0.0.9", count: 2 },
        { address: "10.0.0.8", count: 1 },
      ],
    }),
    hit: [sock({ remote: "10.0.0.9:1" }), sock({ remote: "10.0.0.8:1" })],
    miss: [sock({ local: "10.0.0.5:9090" })],
  },
  {
    name: "outbound to a service port",
    g: group({
      direction: "outgoing",
      localPort: null,
      peerPort: 5432,
      peers: [{ address: "10.0.0.20", count: 4 }],
    }),
    hit: [sock({ local: "10.0.0.5:51000", remote: "10.0.0.20:5432" })],
    miss: [
      sock({ local: "10.0.0.5:51000", remote: "10.0.0.20:5433" }),
      sock({ state: TcpState.TIME_WAIT, local: "10.0.0.5:51001", remote: "10.0.0.20:5432" }),
    ],
  },
];

describe("closewait's suggested kill filter works with sockdoc kill", () => {
  for (const c of cases) {
    it(c.name, () => {
      const text = killFilter(c.g) as string;
      const filter = compileFilter(text.split(" "));
      assert.doesNotThrow(() => checkFilter(filter, false), `refused: ${text}`);
      for (const s of c.hit)
        assert.ok(filter.matches(s), `${text} should match ${s.remote.address}:${s.remote.port}`);
      for (const s of c.miss)
        assert.ok(!filter.matches(s), `${text} should not match ${JSON.stringify(s.local)}`);
    });
  }
});
