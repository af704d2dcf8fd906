import assert from "node:assert/strict";
import { constants } from "node:os";
import { describe, it } from "node:test";
import type { AuditRecord } from "../../../src/actions/kill/audit-record.js";
import fc from "fast-check";
import { type AuditFile, AuditLog, AuditWriteError } from "../../../src/actions/kill/audit-log.js";
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
  const { results, stopped } = destroySockets(addon, [...answers.keys()], s, {
    log: { commit: (rs) => records.push(...rs) },
    context,
  });
  assert.equal(stopped, null);
  return { results, records, calls: addon.calls };
}

describe("destroySockets", () => {
  it("maps each answer to an outcome, with an intent and an outcome record for each call", () => {
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
      records.map((r) => [r.phase, r.cookie, r.outcome]),
      [
        ...[closed, gone, denied, odd].map((s) => ["intent", s.cookie, null]),
        ["outcome", closed.cookie, "closed"],
        ["outcome", gone.cookie, "gone"],
        ["outcome", denied.cookie, "denied"],
        ["outcome", odd.cookie, "failed"],
      ],
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
    const { results } = destroySockets(addon, [bad, good], support("supported"), {
      log: { commit: () => {} },
      context,
    });
    assert.deepEqual(
      results.map((r) => r.outcome),
      ["failed", "closed"],
    );
  });
});

/**
 * An audit file that takes `good` writes and then fails every one with
 * code, like a disk that fills up (or is made read-only) during the run.
 * synced: the lines that were written and synced, as the disk would keep them.
 */
function fillingFile(good: number, code = "ENOSPC") {
  const synced: string[] = [];
  let pending: string[] = [];
  let writes = 0;
  const file: AuditFile = {
    write(text) {
      if (writes++ >= good) throw Object.assign(new Error(`${code} (test)`), { code });
      pending = text.trimEnd().split("\n");
    },
    sync() {
      synced.push(...pending);
      pending = [];
    },
    close() {},
  };
  return { file, synced: () => synced.map((l) => JSON.parse(l) as AuditRecord) };
}

const context = { time: new Date(0), host: "h", user: { uid: 0, name: "root", sudoUser: null }, filter: "f" };

describe("destroySockets when the audit log stops taking records", () => {
  const three = () => [sock(), sock(), sock()];

  it("destroys nothing when the first intent cannot be written", () => {
    const targets = three();
    const addon = fakeAddon(new Map(targets.map((t) => [t, 0])));
    const disk = fillingFile(0);
    const log = AuditLog.over("/x/kill.log", disk.file);
    const run = destroySockets(addon, targets, support("supported"), { log, context });
    assert.equal(addon.calls.length, 0, "no SOCK_DESTROY");
    assert.ok(run.stopped instanceof AuditWriteError);
    assert.equal(run.stopped.reason, "ENOSPC");
    assert.deepEqual(
      run.results.map((r) => r.outcome),
      ["stopped", "stopped", "stopped"],
    );
    assert.equal(log.count, 0);
  });

  it("a log that fails after its first record: the socket it covers is closed, the run stops, nothing else is", () => {
    const targets = three();
    const addon = fakeAddon(new Map(targets.map((t) => [t, 0])));
    const disk = fillingFile(1, "EROFS");
    const log = AuditLog.over("/x/kill.log", disk.file);
    const run = destroySockets(addon, targets, support("supported"), { log, context }, 1);
    assert.equal(addon.calls.length, 1);
    assert.deepEqual(
      run.results.map((r) => r.outcome),
      ["closed", "stopped", "stopped"],
    );
    assert.equal((run.stopped as AuditWriteError).reason, "EROFS");
    // The closed socket's intent is on disk; its outcome could not be written.
    assert.deepEqual(
      disk.synced().map((r) => [r.phase, r.cookie]),
      [["intent", targets[0]!.cookie]],
    );
  });

  it("stops between groups: whole groups are recorded, the next one is not attempted", () => {
    const targets = [...three(), ...three()];
    const addon = fakeAddon(new Map(targets.map((t) => [t, 0])));
    const disk = fillingFile(2); // the first group's intents and outcomes
    const log = AuditLog.over("/x/kill.log", disk.file);
    const run = destroySockets(addon, targets, support("supported"), { log, context }, 4);
    assert.deepEqual(
      run.results.map((r) => r.outcome),
      ["closed", "closed", "closed", "closed", "stopped", "stopped"],
    );
    assert.equal(addon.calls.length, 4);
    assert.equal(log.count, 8);
    assert.deepEqual(
      disk.synced().map((r) => r.phase),
      [...Array(4).fill("intent"), ...Array(4).fill("outcome")],
    );
  });

  it("never calls SOCK_DESTROY for a socket whose intent is not on disk (any failure point, any group size)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, E.ENOENT, E.EPERM), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        (answers, group, good) => {
          const targets = answers.map(() => sock());
          const disk = fillingFile(good);
          const onDisk = () =>
            new Set(
              disk
                .synced()
                .filter((r) => r.phase === "intent")
                .map((r) => r.cookie),
            );
          const called: string[] = [];
          const byRequest = new Map(targets.map((t, i) => [buildDestroyRequest(t).toString("hex"), i]));
          const addon = {
            inetDiagDestroy(request: Buffer): number {
              const i = byRequest.get(request.toString("hex"))!;
              assert.ok(onDisk().has(targets[i]!.cookie), "destroyed before its intent was synced");
              called.push(targets[i]!.cookie!);
              return answers[i]!;
            },
          };
          const log = AuditLog.over("/x/kill.log", disk.file);
          const run = destroySockets(addon, targets, support("supported"), { log, context }, group);
          const writes = 2 * Math.ceil(targets.length / group);
          assert.equal(run.stopped === null, good >= writes);
          for (const [i, r] of run.results.entries()) {
            assert.equal(r.outcome === "stopped", !called.includes(targets[i]!.cookie!));
          }
          // What was attempted is a prefix: after the stop, nothing.
          const firstStopped = run.results.findIndex((r) => r.outcome === "stopped");
          if (firstStopped >= 0)
            assert.ok(run.results.slice(firstStopped).every((r) => r.outcome === "stopped"));
        },
      ),
      { numRuns: 500 },
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
