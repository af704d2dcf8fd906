import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFilter } from "../../src/filter/compile.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";

const COUNT = 170_000;
const STATES = [TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.LISTEN];

/**
 * The benchmark's mix in miniature: a quarter each IPv4, IPv4-mapped, IPv6 and
 * IPv4 again; states and remote ports cycle, so the expected counts are known.
 */
function syntheticSockets(): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (let i = 0; i < COUNT; i++) {
    const kind = i % 4;
    const v4 = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const local = kind === 2 ? `2001:db8::${(i & 0xffff).toString(16)}` : kind === 1 ? `::ffff:${v4}` : v4;
    sockets.push({
      family: kind === 1 || kind === 2 ? 6 : 4,
      state: STATES[i % 4] as TcpState,
      local: { address: local, port: 1000 + (i % 60000) },
      remote: {
        address: kind === 2 ? "::1" : `192.168.${(i >> 8) & 255}.${i & 255}`,
        port: [443, 80, 22][i % 3] as number,
      },
      recvQ: 0,
      sendQ: 0,
      timer: null,
      uid: null,
      inode: i,
      cookie: null,
      owners: null,
    });
  }
  return sockets;
}

function expectedCount(keep: (i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < COUNT; i++) if (keep(i)) n++;
  return n;
}

describe("filter evaluator speed (measured, not asserted)", () => {
  const sockets = syntheticSockets();
  const cases: Array<[string, (i: number) => boolean]> = [
    ["state close-wait dport = :443", (i) => i % 4 === 2 && i % 3 === 0],
    ["src 10.0.0.0/8 and ( sport >= :1024 or not dst [::1] )", (i) => i % 4 !== 2],
    ["exclude listen dst 192.168.0.0/16", (i) => i % 4 !== 3 && i % 4 !== 2],
  ];
  for (const [text, keep] of cases) {
    it(`${text} over ${COUNT} sockets`, (t) => {
      const f = compileFilter(text.split(" "));
      let best = Number.POSITIVE_INFINITY;
      let kept = 0;
      for (let round = 0; round < 7; round++) {
        const start = process.hrtime.bigint();
        kept = 0;
        for (const s of sockets) if (f.matches(s)) kept++;
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
      }
      assert.equal(kept, expectedCount(keep));
      t.diagnostic(
        `${text}: ${best.toFixed(1)} ms for ${COUNT} sockets (${((best * 1e6) / COUNT).toFixed(0)} ns each)`,
      );
    });
  }
});
