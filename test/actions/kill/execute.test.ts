import assert from "node:assert/strict";
import { constants } from "node:os";
import { describe, it } from "node:test";
import type { AuditRecord } from "../../../src/actions/kill/audit-record.js";
import { destroySockets, predictSockets } from "../../../src/actions/kill/execute.js";
import type { KillSupport } from "../../../src/actions/kill/types.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { buildDestroyRequest } from "../../../src/sources/sock-diag.js";
import { sock, support } from "./make.js";

const E = constants.errno;

/** A fake addon that answers per socket (by request bytes) and counts its calls. */
function fakeAddon(answers: Map<TcpSocket, number>) {
  const byRequest = new Map<string, number>();
  for (const [s, errno] of answers) byRequest.set(buildDestroyRequest(s).toString("hex"), errno);
  const calls: string[] = [];
  return {
    calls,
    inetDiagDestroy(request: Buffer): number {
      const key = request.toString("hex");
      calls.push(key);
      const errno = byRequest.get(key);
      if (errno === undefined) throw new Error("unexpected request");
      return errno;
    },
  };
}

function run(answers: Map<TcpSocket, number>, s: KillSupport) {
  const addon = fakeAddon(answers);
  const records: AuditRecord[] = [];
  const context = {
    time: new Date(0),
    host: "h",
    user: { uid: 0, name: "root", sudoUser: null },
    filter: "f",
  };
  const results = destroySockets(addon, [...answers.keys()], s, {
    log: { append: (r) => records.push(r) },
    context,
  });
  return { results, records, calls: addon.calls };
}

describe("destroySockets", () => {
  it("maps each answer to an outcome and audits only the sockets it closed", () => {
    const closed = sock();
    const gone = sock();
    const denied = sock();
    const odd = sock();
    const { results, records, calls } = run(
      new Map([
        [closed, 0],
        [gone, E.ENOENT],
        [denied, E.EPERM],
        [odd, E.EINVAL],
      ]),
      support("supported"),
    );
    assert.deepEqual(
      results.map((r) => [r.socket, r.outcome, r.errno]),
      [
        [closed, "closed", 0],
        [gone, "gone", E.ENOENT],
        [denied, "denied", E.EPERM],
        [odd, "failed", E.EINVAL],
      ],
    );
    assert.equal(calls.length, 4);
    assert.deepEqual(
      records.map((r) => r.cookie),
      [closed.cookie],
    );
  });

  it("does not call the kernel for what the probes showed it cannot do", () => {
    const cw = sock();
    const tw = sock({ state: TcpState.TIME_WAIT });
    const noTw = run(
      new Map([
        [cw, 0],
        [tw, 0],
      ]),
      support("supported", "unsupported"),
    );
    assert.deepEqual(
      noTw.results.map((r) => r.outcome),
      ["closed", "unsupported"],
    );
    assert.equal(noTw.calls.length, 1);
    const none = run(new Map([[cw, 0]]), support("unsupported"));
    assert.deepEqual(
      none.results.map((r) => [r.outcome, r.errno]),
      [["unsupported", null]],
    );
    assert.equal(none.calls.length, 0);
    assert.equal(none.records.length, 0);
  });

  it("goes on past a socket whose id cannot be encoded", () => {
    const bad = { ...sock(), cookie: "not-a-number" };
    const good = sock();
    const addon = fakeAddon(new Map([[good, 0]]));
    const context = {
      time: new Date(0),
      host: "h",
      user: { uid: 0, name: null, sudoUser: null },
      filter: "f",
    };
    const results = destroySockets(addon, [bad, good], support("supported"), {
      log: { append: () => {} },
      context,
    });
    assert.deepEqual(
      results.map((r) => r.outcome),
      ["failed", "closed"],
    );
  });
});

describe("predictSockets", () => {
  it("makes no call and predicts from the probes", () => {
    const out = predictSockets(
      [sock(), sock({ state: TcpState.TIME_WAIT })],
      support("supported", "unsupported"),
    );
    assert.deepEqual(
      out.map((r) => r.outcome),
      ["would-close", "unsupported"],
    );
  });
});
