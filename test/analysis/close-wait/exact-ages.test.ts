/** Each CLOSE_WAIT socket's time in CLOSE_WAIT: exact where the tracer saw it enter, at least otherwise. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { socketAges } from "../../../src/analysis/close-wait/exact-ages.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { sock } from "./make.js";
import { TcpState } from "../../../src/model/tcp-state.js";

function socket(localPort: number, remotePort: number, state = TcpState.CLOSE_WAIT): TcpSocket {
  return sock({
    local: `127.0.0.1:${localPort}`,
    remote: `127.0.0.1:${remotePort}`,
    state,
    owners: [{ pid: 99, comm: "java", fd: 5 }],
  });
}

describe("socketAges", () => {
  it("exact for entries of the same namespace and 4-tuple, at least since the tracer started otherwise", () => {
    const entries = new Map([["7 8080-50000", 95_000]]);
    const ages = socketAges(
      [
        { netns: 7, sockets: [socket(8080, 50000), socket(8080, 50001), socket(8080, 1, TcpState.LISTEN)] },
        { netns: 8, sockets: [socket(8080, 50000)] },
      ],
      { since: 40_000, enteredAt: (netns, tuple) => entries.get(`${netns} ${tuple}`) },
      (s) => `${s.local.port}-${s.remote.port}`,
      100_000,
    );
    assert.deepEqual(
      ages.map((a) => [a.netns, a.remote, a.seconds, a.exact, a.enteredAt]),
      [
        [7, "127.0.0.1:50001", 60, false, null],
        [8, "127.0.0.1:50000", 60, false, null],
        [7, "127.0.0.1:50000", 5, true, 95_000],
      ],
    );
    assert.deepEqual(ages[2]!.owner, { pid: 99, comm: "java" });
  });
});
