import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative, type StreamRequest } from "../../src/sources/native.js";
import { planDumps, readSockDiag, visitSockDiagPasses } from "../../src/sources/sock-diag.js";
import { diagMessage, doneMessage } from "../fixtures/native/inet-diag-messages.js";

const TW = stateBit(TcpState.TIME_WAIT);
const LISTEN = stateBit(TcpState.LISTEN);
const ESTAB = stateBit(TcpState.ESTABLISHED);

/** A fake addon whose every dump holds one socket naming its family and mask (as the local port). */
function fakeAddon() {
  const calls: Array<{ dumps: StreamRequest[]; lanes: number[] }> = [];
  let closed = 0;
  const message = (family: 2 | 10, mask: number) =>
    diagMessage({
      family,
      state: mask === TW ? TcpState.TIME_WAIT : TcpState.ESTABLISHED,
      sport: mask & 0xffff,
      dport: family,
      src: family === 2 ? [127, 0, 0, 1] : [...new Array(15).fill(0), 1],
      dst: family === 2 ? [127, 0, 0, 2] : [...new Array(15).fill(0), 2],
    });
  // Family 0 (both) answers with an IPv4 and an IPv6 socket, as the kernel would.
  const dump = (family: number, mask: number) =>
    Buffer.concat([
      ...(family === 0 ? [message(2, mask), message(10, mask)] : [message(family as 2 | 10, mask)]),
      doneMessage(),
    ]);
  class InetDiagStream {
    private readonly left: Buffer[][];
    constructor(dumps: StreamRequest[], lanes: number[]) {
      calls.push({ dumps, lanes });
      this.left = dumps.map(([family, mask]) => [dump(family, mask)]);
    }
    next(i: number): Buffer | null {
      return this.left[i]!.shift() ?? null;
    }
    nextAsync(i: number): Promise<Buffer | null> {
      return Promise.resolve(this.next(i));
    }
    close(): void {
      closed++;
    }
  }
  return {
    calls,
    closed: () => closed,
    addon: {
      inetDiagDump: (family: number, mask: number) => {
        calls.push({ dumps: [[family, mask]], lanes: [] });
        return dump(family, mask);
      },
      InetDiagStream,
    },
  };
}

const asRequests = (plan: ReturnType<typeof planDumps>) =>
  plan.map((d): [number, number, Buffer?] =>
    d.bytecode ? [d.family, d.statesMask, Buffer.from(d.bytecode)] : [d.family, d.statesMask],
  );

describe("visitSockDiagPasses", () => {
  it("dumps every pass at once, then visits pass by pass in readSockDiag's order", () => {
    const { calls, addon } = fakeAddon();
    const seen: string[] = [];
    visitSockDiagPasses(
      addon,
      [4, 6],
      [
        { statesMask: LISTEN, visit: (c) => seen.push(`first ${c.remotePort} ${c.localPort}`) },
        { statesMask: TW | ESTAB, visit: (c) => seen.push(`second ${c.remotePort} ${c.localPort}`) },
      ],
    );
    const plan = [...planDumps(LISTEN, [4, 6]), ...planDumps(TW | ESTAB, [4, 6])];
    assert.deepEqual(calls, [{ dumps: asRequests(plan), lanes: plan.map((d) => d.lane) }]);
    assert.deepEqual(seen, [
      `first 2 ${LISTEN}`,
      `first 10 ${LISTEN}`,
      `second 2 ${TW}`,
      `second 10 ${TW}`,
      `second 2 ${ESTAB}`,
      `second 10 ${ESTAB}`,
    ]);
  });

  it("skips an empty pass and uses single dumps without the parallel call", () => {
    const { calls, addon } = fakeAddon();
    const seen: number[] = [];
    visitSockDiagPasses(
      { inetDiagDump: addon.inetDiagDump },
      [4],
      [
        { statesMask: 0, visit: () => seen.push(-1) },
        { statesMask: ESTAB, visit: (c) => seen.push(c.localPort) },
      ],
    );
    assert.deepEqual(calls, [{ dumps: [[2, ESTAB]], lanes: [] }]);
    assert.deepEqual(seen, [ESTAB]);
  });

  it("hands a pass's bytecode to each of its dumps and closes the stream when a visitor throws", () => {
    const { calls, closed, addon } = fakeAddon();
    const program = new Uint8Array([2, 8, 20, 0, 0, 0, 1, 0]);
    assert.throws(
      () =>
        visitSockDiagPasses(
          addon,
          [4, 6],
          [
            { statesMask: TW, visit: () => undefined },
            {
              statesMask: ESTAB,
              bytecode: program,
              visit: () => {
                throw new Error("visitor failed");
              },
            },
          ],
        ),
      /visitor failed/,
    );
    assert.deepEqual(
      calls[0]!.dumps.map((d) => d[2] && [...d[2]]),
      [undefined, [...program]],
    );
    assert.equal(closed(), 1);
  });

  it("calls a pass's filter function after the passes before it, in a stream of its own; null skips", () => {
    const { calls, addon } = fakeAddon();
    const seen: string[] = [];
    const program = new Uint8Array([2, 8, 20, 0, 0, 0, 1, 0]);
    visitSockDiagPasses(
      addon,
      [4],
      [
        { statesMask: LISTEN, visit: (c) => seen.push(`listen ${c.localPort}`) },
        {
          statesMask: TW,
          bytecode: () => {
            seen.push("filter asked");
            return program;
          },
          visit: (c) => seen.push(`tw ${c.localPort}`),
        },
        { statesMask: ESTAB, bytecode: () => null, visit: () => seen.push("skipped pass visited") },
      ],
    );
    assert.deepEqual(seen, [`listen ${LISTEN}`, "filter asked", `tw ${TW}`]);
    assert.deepEqual(
      calls.map((c) => c.dumps.map((d) => [d[0], d[1], d[2] && [...d[2]]])),
      [[[2, LISTEN, undefined]], [[2, TW, [...program]]]],
    );
  });

  const { addon, error } = loadNative();
  it(
    "streams the live host's sockets as readSockDiag decodes them",
    { skip: addon ? false : (error ?? "no addon") },
    async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as net.AddressInfo).port;
      const key = (state: number, lp: number, ra: string, rp: number) => `${state} ${lp} ${ra} ${rp}`;
      const streamed: string[] = [];
      visitSockDiagPasses(
        addon!,
        [4, 6],
        [
          {
            statesMask: ALL_STATES_MASK,
            visit: (c) => streamed.push(key(c.state, c.localPort, c.remoteAddress, c.remotePort)),
          },
        ],
      );
      const decoded = readSockDiag(addon!, ALL_STATES_MASK, [4, 6]).map((s) =>
        key(s.state, s.local.port, s.remote.address, s.remote.port),
      );
      // Two reads of a live host a moment apart: compare the sockets present in both.
      const inDecoded = new Set(decoded);
      const inBoth = streamed.filter((k) => inDecoded.has(k));
      server.close();
      assert.ok(streamed.includes(key(TcpState.LISTEN, port, "0.0.0.0", 0)), "the test's own listener");
      assert.ok(
        inBoth.length >= Math.min(streamed.length, decoded.length) * 0.9,
        `${inBoth.length} of ${streamed.length}`,
      );
    },
  );
});
