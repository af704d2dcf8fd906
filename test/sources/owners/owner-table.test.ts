/** The fd walk's owners kept in typed arrays read as the Map of lists they replace. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Owner } from "../../../src/model/socket.js";
import { OwnerTable } from "../../../src/sources/owners/owner-table.js";

/** The lists as the walk's Map made them: walk order within an inode. */
function mapOf(hits: Array<[number, number, number]>, wanted: Set<number>, comms: Map<number, string>) {
  const byInode = new Map<number, Owner[]>();
  for (const [pid, fd, inode] of hits) {
    if (!wanted.has(inode)) continue;
    const owner = { pid, comm: comms.get(pid) ?? "?", fd };
    const list = byInode.get(inode);
    if (list) list.push(owner);
    else byInode.set(inode, [owner]);
  }
  return byInode;
}

describe("OwnerTable", () => {
  it("gives each wanted inode the owners the Map gave, in walk order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.nat(2000), fc.integer({ min: 1, max: 4e9 })), {
          maxLength: 300,
        }),
        fc.array(fc.integer({ min: 1, max: 4e9 }), { maxLength: 20 }),
        (hits, extra) => {
          // Most hit inodes wanted, some not; some wanted never hit.
          const wanted = new Set([...hits.filter((_, i) => i % 3 !== 0).map((h) => h[2]), ...extra]);
          const comms = new Map(hits.map(([pid]) => [pid, `p${pid}`]));
          const table = new OwnerTable(
            { pids: hits.map((h) => h[0]), fds: hits.map((h) => h[1]), inodes: hits.map((h) => h[2]) },
            wanted,
            comms,
          );
          const expected = mapOf(hits, wanted, comms);
          assert.equal(table.size, expected.size);
          for (const inode of wanted) {
            assert.deepEqual(table.get(inode), expected.get(inode));
            assert.equal(table.has(inode), expected.has(inode));
          }
          assert.deepEqual(new Map(table), new Map([...expected].sort((a, b) => a[0] - b[0])));
        },
      ),
      { numRuns: 300 },
    );
  });
});
