import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isReserved,
  parsePortRange,
  parseReservedPorts,
  reservedInRange,
} from "../../../src/analysis/time-wait/ports.js";

describe("parsePortRange", () => {
  const cases: Array<[string, [number, number] | null]> = [
    ["32768\t60999", [32768, 60999]],
    ["1024 65535\n", [1024, 65535]],
    ["40000 40000", [40000, 40000]],
    ["60999 32768", null],
    ["32768", null],
    ["1024 70000", null],
    ["a b", null],
    ["1 2 3", null],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(want)}`, () =>
      assert.deepEqual(parsePortRange(text), want));
  }
});

describe("parseReservedPorts", () => {
  const cases: Array<[string, Array<[number, number]> | null]> = [
    ["", []],
    ["\n", []],
    ["8080", [[8080, 8080]]],
    [
      "9000-9100,8080",
      [
        [8080, 8080],
        [9000, 9100],
      ],
    ],
    // Overlapping and touching ranges merge, so ports are not counted twice.
    ["40000-40010,40005-40020,40021", [[40000, 40021]]],
    ["1-2-3", null],
    ["80,x", null],
    ["90-80", null],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(want)}`, () =>
      assert.deepEqual(parseReservedPorts(text), want));
  }
});

describe("reservedInRange", () => {
  it("counts only the reserved ports inside the range", () => {
    const reserved = parseReservedPorts("8080,32000-32777,50000,60990-61010")!;
    // 32768..32777 = 10, 50000 = 1, 60990..60999 = 10
    assert.equal(reservedInRange(reserved, [32768, 60999]), 21);
    assert.equal(reservedInRange(reserved, [1, 100]), 0);
  });
  it("isReserved checks every range", () => {
    const reserved = parseReservedPorts("80,443-445")!;
    assert.deepEqual(
      [79, 80, 443, 444, 445, 446].map((p) => isReserved(p, reserved)),
      [false, true, true, true, true, false],
    );
  });
});
