import assert from "node:assert/strict";
import { constants } from "node:os";
import { describe, it } from "node:test";
import {
  destroyVerdict,
  timeWaitNotProbed,
  timeWaitVerdict,
} from "../../../src/actions/kill/probe-verdict.js";
import type { SupportStatus } from "../../../src/actions/kill/types.js";

const E = constants.errno;

describe("destroyVerdict (a destroy of a socket that cannot exist)", () => {
  const cases: Array<[number, SupportStatus, RegExp]> = [
    [E.ENOENT, "supported", /ENOENT/],
    [E.EOPNOTSUPP, "unsupported", /CONFIG_INET_DIAG_DESTROY/],
    [E.EINVAL, "unknown", /EINVAL/],
  ];
  for (const [errno, status, detail] of cases) {
    it(`errno ${errno} -> ${status}`, () => {
      const v = destroyVerdict(errno);
      assert.equal(v.status, status);
      assert.match(v.detail, detail);
    });
  }
});

describe("timeWaitVerdict (destroying our own TIME_WAIT socket, then again)", () => {
  const cases: Array<[number, number | null, SupportStatus, RegExp]> = [
    [0, E.ENOENT, "supported", /it is gone/],
    [0, 0, "unknown", /asking again gave/],
    [E.EOPNOTSUPP, null, "unsupported", /cannot destroy TIME_WAIT.*60 s/],
    [E.EPERM, null, "unknown", /EPERM/],
    [E.ENOENT, null, "unknown", /ENOENT/],
  ];
  for (const [first, second, status, detail] of cases) {
    it(`${first}, then ${second} -> ${status}`, () => {
      const v = timeWaitVerdict(first, second);
      assert.equal(v.status, status);
      assert.match(v.detail, detail);
    });
  }

  it("says why it was not probed", () => {
    assert.deepEqual(timeWaitNotProbed("needs root"), {
      status: "unknown",
      detail: "not probed: needs root",
    });
  });
});
