import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InodeSet } from "../../../src/sources/owners/inode-set.js";

describe("InodeSet", () => {
  it("keeps the distinct inodes above 0, sorted, from an array", () => {
    const set = InodeSet.of([30, 0, 10, 30, -4, Number.NaN, 20, 10]);
    assert.deepEqual([...set], [10, 20, 30]);
    assert.equal(set.size, 3);
    assert.ok(set.sorted instanceof Float64Array);
    assert.equal(set.has(20), true);
    assert.equal(set.has(25), false);
    assert.equal(set.has(0), false);
  });

  it("grows past its first buffer for an iterable of unknown length", () => {
    function* inodes() {
      for (let i = 3000; i >= 1; i--) yield i % 2500 === 0 ? 1 : i;
    }
    const set = InodeSet.of(inodes());
    assert.equal(set.size, 2999);
    assert.equal(set.sorted[0], 1);
    assert.equal(set.sorted[2998], 3000);
    assert.equal(set.has(2500), false);
    assert.equal(set.has(2999), true);
  });

  it("is empty for nothing wanted", () => {
    assert.equal(InodeSet.of([]).size, 0);
    assert.equal(InodeSet.of(new Set([0])).has(0), false);
  });
});
