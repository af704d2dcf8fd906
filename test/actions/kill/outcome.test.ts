import assert from "node:assert/strict";
import { constants } from "node:os";
import { describe, it } from "node:test";
import { compareSockets } from "../../../src/actions/kill/order.js";
import { countOutcomes, decide, exitCodeFor, outcomeOf, predict } from "../../../src/actions/kill/outcome.js";
import type { KillOutcome, SupportStatus } from "../../../src/actions/kill/types.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock, support } from "./make.js";

const E = constants.errno;

describe("outcomeOf", () => {
  const cases: Array<[number, KillOutcome]> = [
    [0, "closed"],
    [E.ENOENT, "gone"],
    [E.EOPNOTSUPP, "unsupported"],
    [E.EPERM, "denied"],
    [E.EACCES, "denied"],
    [E.EINVAL, "failed"],
    [E.EBUSY, "failed"],
  ];
  for (const [errno, want] of cases) {
    it(`errno ${errno} -> ${want}`, () => assert.equal(outcomeOf(errno), want));
  }
});

describe("decide and predict", () => {
  const cw = sock({ state: TcpState.CLOSE_WAIT });
  const tw = sock({ state: TcpState.TIME_WAIT });
  const cases: Array<{
    name: string;
    destroy: SupportStatus;
    timeWait: SupportStatus | null;
    cw: KillOutcome;
    tw: KillOutcome;
  }> = [
    {
      name: "all supported",
      destroy: "supported",
      timeWait: "supported",
      cw: "would-close",
      tw: "would-close",
    },
    {
      name: "no SOCK_DESTROY",
      destroy: "unsupported",
      timeWait: "unsupported",
      cw: "unsupported",
      tw: "unsupported",
    },
    {
      name: "no TIME_WAIT destroy",
      destroy: "supported",
      timeWait: "unsupported",
      cw: "would-close",
      tw: "unsupported",
    },
    {
      name: "TIME_WAIT unknown: try it",
      destroy: "supported",
      timeWait: "unknown",
      cw: "would-close",
      tw: "would-close",
    },
    {
      name: "destroy unknown: try it",
      destroy: "unknown",
      timeWait: null,
      cw: "would-close",
      tw: "would-close",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = support(c.destroy, c.timeWait);
      assert.equal(predict(cw, s).outcome, c.cw);
      assert.equal(predict(tw, s).outcome, c.tw);
      // A socket predicted unsupported is never sent to the kernel.
      assert.equal(decide(cw, s) === "attempt", c.cw === "would-close");
      assert.equal(decide(tw, s) === "attempt", c.tw === "would-close");
    });
  }
});

describe("exitCodeFor", () => {
  const r = (outcome: KillOutcome) => ({ socket: sock(), outcome, errno: null });
  const cases: Array<[KillOutcome[], number]> = [
    [[], 0],
    [["closed", "closed"], 0],
    [["closed", "gone"], 0],
    [["would-close"], 0],
    [["closed", "unsupported"], 1],
    [["denied"], 1],
    [["closed", "failed"], 1],
    [["would-close", "unsupported"], 1],
  ];
  for (const [outcomes, code] of cases) {
    it(`[${outcomes.join(", ")}] -> ${code}`, () => assert.equal(exitCodeFor(outcomes.map(r)), code));
  }

  it("counts outcomes that occur, in a fixed order", () => {
    const counts = countOutcomes(["gone", "closed", "closed", "denied"].map((o) => r(o as KillOutcome)));
    assert.deepEqual(Object.entries(counts), [
      ["closed", 2],
      ["gone", 1],
      ["denied", 1],
    ]);
  });
});

describe("compareSockets", () => {
  it("orders by family, state, local port, peer address, peer port", () => {
    const list = [
      sock({ local: "[::1]:80", remote: "[::1]:1" }),
      sock({ state: TcpState.TIME_WAIT, local: "10.0.0.5:80", remote: "10.0.0.9:1" }),
      sock({ local: "10.0.0.5:81", remote: "10.0.0.1:9" }),
      sock({ local: "10.0.0.5:80", remote: "10.0.0.9:20" }),
      sock({ local: "10.0.0.5:80", remote: "10.0.0.9:3" }),
      sock({ local: "10.0.0.5:80", remote: "10.0.0.10:99" }),
    ];
    const sorted = [...list]
      .sort(compareSockets)
      .map((s) => `${s.state} ${s.local.port} ${s.remote.address}:${s.remote.port}`);
    assert.deepEqual(sorted, [
      "6 80 10.0.0.9:1",
      "8 80 10.0.0.10:99",
      "8 80 10.0.0.9:3",
      "8 80 10.0.0.9:20",
      "8 81 10.0.0.1:9",
      "8 80 ::1:1",
    ]);
  });
});
