import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasNetAdmin } from "../../../src/actions/kill/capability.js";

describe("hasNetAdmin (CapEff of /proc/PID/status)", () => {
  const status = (capEff: string) =>
    `Name:\tnode\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;
  const cases: Array<[string, boolean | null]> = [
    ["000001ffffffffff", true], // root
    ["000001fffeffffff", true], // root without CAP_SYS_RESOURCE
    ["0000000000000000", false], // ordinary user
    ["0000000000001000", true], // only CAP_NET_ADMIN (bit 12)
    ["0000000000002000", false], // only CAP_NET_RAW (bit 13)
    ["0000000000000fff", false], // bits 0-11
  ];
  for (const [capEff, want] of cases) {
    it(`CapEff ${capEff} -> ${want}`, () => assert.equal(hasNetAdmin(status(capEff)), want));
  }

  it("is null when there is no CapEff line", () => {
    assert.equal(hasNetAdmin("Name:\tnode\n"), null);
  });
});
