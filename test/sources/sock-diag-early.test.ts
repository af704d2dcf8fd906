/**
 * A pass whose kernel filter rests on the passes before it (timewait's
 * other states) starts early, beside the last dump before it, once a chunk
 * of that dump left its filter unchanged; its chunks are visited only if the
 * filter at its turn is the same program, else it dumps again. Checked with
 * a fake addon whose dumps come in chunks and whose rest dump answers with
 * a socket naming the filter it was given.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import type { StreamRequest } from "../../src/sources/native.js";
import type { DiagPass } from "../../src/sources/sock-diag.js";
import { visitSockDiagPassesAsync } from "../../src/sources/sock-diag-async.js";
import type { SocketCursor } from "../../src/sources/sock-diag.js";
import { EarlyDumps, samePrograms } from "../../src/sources/sock-diag/early-stage.js";
import { diagMessage, doneMessage } from "../fixtures/native/inet-diag-messages.js";

const LISTEN = stateBit(TcpState.LISTEN);
const TW = stateBit(TcpState.TIME_WAIT);
const REST = stateBit(TcpState.ESTABLISHED);

const socket = (state: TcpState, sport: number, dport: number) =>
  diagMessage({ family: 2, state, sport, dport, src: [127, 0, 0, 1], dst: [127, 0, 0, 2] });

interface Opened {
  dumps: StreamRequest[];
  closed: boolean;
  /** Whether the TIME_WAIT stream had handed over all its chunks when this one opened. */
  timeWaitDone: boolean;
}

/**
 * TIME_WAIT comes in chunks of one socket each, their remote ports from
 * timeWaitPorts; the rest dump holds one ESTABLISHED socket whose local
 * port names the filter it was given (first byte + 10 x second) and, with
 * failRest, fails instead.
 */
function fakeAddon(timeWaitPorts: number[], opts: { failRest?: boolean; failFirstRestOnly?: boolean } = {}) {
  const opened: Opened[] = [];
  let restStreams = 0;
  let timeWaitLeft = -1;
  class InetDiagStream {
    private readonly left: Buffer[][];
    private readonly me: Opened;
    private pending = false;
    private readonly failing: boolean;
    constructor(dumps: StreamRequest[]) {
      this.me = { dumps, closed: false, timeWaitDone: timeWaitLeft === 0 };
      const rest = dumps.some(([, mask]) => mask === REST);
      if (rest) restStreams++;
      this.failing =
        rest && (opts.failRest === true || (opts.failFirstRestOnly === true && restStreams === 1));
      opened.push(this.me);
      this.left = dumps.map(([, mask, bytecode]) => {
        if (mask === LISTEN) return [Buffer.concat([socket(TcpState.LISTEN, 80, 0), doneMessage()])];
        if (mask === TW) {
          timeWaitLeft = timeWaitPorts.length;
          return timeWaitPorts.map((port, i) =>
            Buffer.concat([
              socket(TcpState.TIME_WAIT, 40000 + i, port),
              ...(i === timeWaitPorts.length - 1 ? [doneMessage()] : []),
            ]),
          );
        }
        return [
          Buffer.concat([socket(TcpState.ESTABLISHED, bytecode![0]! + 10 * bytecode![1]!, 7), doneMessage()]),
        ];
      });
    }
    next(i: number): Buffer | null {
      const chunk = this.left[i]!.shift() ?? null;
      if (chunk && this.me.dumps[i]![1] === TW) timeWaitLeft--;
      return chunk;
    }
    async nextAsync(i: number): Promise<Buffer | null> {
      // The addon's rules: one call at a time per stream, none after close().
      assert.equal(this.pending, false, "nextAsync while another is pending");
      assert.equal(this.me.closed, false, "nextAsync after close()");
      this.pending = true;
      try {
        // A turn of the event loop per chunk, as the lanes' answers take.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.failing) throw new Error("rest dump failed");
        return this.next(i);
      } finally {
        this.pending = false;
      }
    }
    close(): void {
      assert.equal(this.pending, false, "close() while nextAsync is pending");
      this.me.closed = true;
    }
  }
  return { opened, addon: { inetDiagDump: () => Buffer.alloc(0), InetDiagStream } };
}

/** LISTEN, TIME_WAIT, then the rest with a filter made from the TIME_WAIT ports seen: [lowest port, count]. */
function passes(seen: number[], visited: string[]): DiagPass[] {
  const record = (c: SocketCursor) => visited.push(`${TcpState[c.state]}:${c.localPort}->${c.remotePort}`);
  return [
    { statesMask: LISTEN, visit: record },
    {
      statesMask: TW,
      visit: (c) => {
        record(c);
        if (!seen.includes(c.remotePort)) seen.push(c.remotePort);
      },
    },
    {
      statesMask: REST,
      bytecode: () => (seen.length === 0 ? null : Uint8Array.of(Math.min(...seen) - 500, seen.length)),
      visit: record,
    },
  ];
}

const dumpsOf = (o: Opened) => o.dumps.map(([, mask, bytecode]) => [mask, bytecode ? [...bytecode] : null]);

describe("a filtered pass started early", () => {
  it("is visited after the passes before it when its filter did not change", async () => {
    const { opened, addon } = fakeAddon([600, 600, 600, 600]);
    const visited: string[] = [];
    await visitSockDiagPassesAsync(addon, [4], passes([], visited));
    assert.equal(
      opened.length,
      2,
      "one stream for LISTEN and TIME_WAIT, one for the rest: no second rest dump",
    );
    assert.deepEqual(dumpsOf(opened[1]!), [[REST, [100, 1]]]);
    assert.equal(opened[1]!.timeWaitDone, false, "the rest dump began before TIME_WAIT was all read");
    assert.ok(opened.every((o) => o.closed));
    // The rest comes after every TIME_WAIT socket, as before.
    assert.deepEqual(visited, [
      "LISTEN:80->0",
      "TIME_WAIT:40000->600",
      "TIME_WAIT:40001->600",
      "TIME_WAIT:40002->600",
      "TIME_WAIT:40003->600",
      "ESTABLISHED:110->7",
    ]);
  });

  it("is dropped and dumped again when the filter changed after it started", async () => {
    // Two chunks of 600 settle the filter; the fourth brings port 601.
    const { opened, addon } = fakeAddon([600, 600, 600, 601]);
    const visited: string[] = [];
    await visitSockDiagPassesAsync(addon, [4], passes([], visited));
    assert.equal(opened.length, 3);
    assert.deepEqual(dumpsOf(opened[1]!), [[REST, [100, 1]]], "the early dump, with the filter of then");
    assert.deepEqual(dumpsOf(opened[2]!), [[REST, [100, 2]]], "the dump at its turn, with the final filter");
    assert.ok(opened.every((o) => o.closed));
    // Only the final filter's socket is visited, none from the dropped dump.
    assert.deepEqual(
      visited.filter((v) => v.startsWith("ESTABLISHED")),
      ["ESTABLISHED:120->7"],
    );
  });

  it("does not start before a chunk left the filter as it was", async () => {
    const { opened, addon } = fakeAddon([600, 601]);
    await visitSockDiagPassesAsync(addon, [4], passes([], []));
    assert.equal(opened.length, 2);
    assert.equal(opened[1]!.timeWaitDone, true, "a changing filter waits for its turn");
  });

  it("makes a failed early dump again at its turn; a second failure is the read's", async () => {
    const once = fakeAddon([600, 600, 600, 600], { failFirstRestOnly: true });
    const visited: string[] = [];
    await visitSockDiagPassesAsync(once.addon, [4], passes([], visited));
    assert.equal(once.opened.length, 3, "the early dump (failed) and the dump made again");
    assert.equal(once.opened[1]!.timeWaitDone, false);
    assert.deepEqual(
      visited.filter((v) => v.startsWith("ESTABLISHED")),
      ["ESTABLISHED:110->7"],
    );
    assert.ok(once.opened.every((o) => o.closed));
    const always = fakeAddon([600, 600, 600, 600], { failRest: true });
    await assert.rejects(visitSockDiagPassesAsync(always.addon, [4], passes([], [])), /rest dump failed/);
    assert.equal(always.opened.length, 3);
    assert.ok(always.opened.every((o) => o.closed));
  });

  it("compares the filter's bytes as they were, when its function hands back the same array changed", async () => {
    const { opened, addon } = fakeAddon([600, 600, 600, 601]);
    const seen: number[] = [];
    const list = passes(seen, []);
    const program = new Uint8Array(2);
    list[2] = {
      ...list[2]!,
      bytecode: () => {
        program[0] = Math.min(...seen) - 500;
        program[1] = seen.length;
        return program;
      },
    };
    await visitSockDiagPassesAsync(addon, [4], list);
    assert.equal(opened.length, 3, "the early dump's filter [100, 1] is not the final [100, 2]: made again");
    assert.deepEqual(dumpsOf(opened[2]!), [[REST, [100, 2]]]);
  });

  it("closes the early stream when a visitor throws", async () => {
    const { opened, addon } = fakeAddon([600, 600, 600, 600]);
    const seen: number[] = [];
    const list = passes(seen, []);
    let count = 0;
    list[1] = {
      ...list[1]!,
      visit: (c) => {
        if (++count === 4) throw new Error("visitor failed");
        if (!seen.includes(c.remotePort)) seen.push(c.remotePort);
      },
    };
    await assert.rejects(visitSockDiagPassesAsync(addon, [4], list), /visitor failed/);
    assert.equal(opened.length, 2, "the early stream had started");
    assert.ok(opened.every((o) => o.closed));
  });
});

describe("EarlyDumps", () => {
  async function* chunks(n: number, bytes: number): AsyncGenerator<[number, Buffer]> {
    for (let i = 0; i < n; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      yield [0, Buffer.alloc(bytes, i)];
    }
  }

  it("gives up (overflowed) past its byte cap before its turn", async () => {
    const early = new EarlyDumps(chunks(10, 100), 250);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(early.overflowed, true);
    await assert.rejects(early.adopt().next(), /overflowed/);
    await early.abandon();
  });

  it("hands over every chunk in order once adopted, with no cap", async () => {
    const early = new EarlyDumps(chunks(6, 100), 250);
    const got: number[] = [];
    for await (const [, chunk] of early.adopt()) got.push(chunk[0]!);
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  });

  it("compares filters byte by byte", () => {
    assert.equal(samePrograms([Uint8Array.of(1, 2), null], [Uint8Array.of(1, 2), null]), true);
    assert.equal(samePrograms([Uint8Array.of(1, 2)], [Uint8Array.of(1, 3)]), false);
    assert.equal(samePrograms([null], [Uint8Array.of(1)]), false);
    assert.equal(samePrograms([undefined, null], [undefined]), false);
  });
});
