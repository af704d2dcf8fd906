import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { planDumps, readSockDiag, visitSockDiagPasses } from "../../src/sources/sock-diag.js";
import { diagMessage, doneMessage } from "../fixtures/native/inet-diag-messages.js";

const TW = stateBit(TcpState.TIME_WAIT);
const LISTEN = stateBit(TcpState.LISTEN);
const ESTAB = stateBit(TcpState.ESTABLISHED);

/** A fake addon whose every dump holds one socket naming its family and mask (as the local port). */
function fakeAddon() {
  const calls: Array<Array<[number, number]>> = [];
  const dump = (family: number, mask: number) =>
    Buffer.concat([
      diagMessage({
        family: family as 2 | 10,
        state: mask === TW ? TcpState.TIME_WAIT : TcpState.ESTABLISHED,
        sport: mask & 0xffff,
        dport: family,
        src: family === 2 ? [127, 0, 0, 1] : [...new Array(15).fill(0), 1],
        dst: family === 2 ? [127, 0, 0, 2] : [...new Array(15).fill(0), 2],
      }),
      doneMessage(),
    ]);
  return {
    calls,
    addon: {
      inetDiagDump: (family: number, mask: number) => {
        calls.push([[family, mask]]);
        return dump(family, mask);
      },
      inetDiagDumpMany: (plan: Array<[number, number]>) => {
        calls.push(plan);
        return plan.map(([family, mask]) => dump(family, mask));
      },
    },
  };
}

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
    assert.deepEqual(calls, [[...planDumps(LISTEN, [4, 6]), ...planDumps(TW | ESTAB, [4, 6])]]);
    assert.deepEqual(seen, [
      `first 2 ${LISTEN}`,
      `first 10 ${LISTEN}`,
      `second 2 ${TW}`,
      `second 2 ${ESTAB}`,
      `second 10 ${TW}`,
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
    assert.deepEqual(calls, [[[2, ESTAB]]]);
    assert.deepEqual(seen, [ESTAB]);
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
