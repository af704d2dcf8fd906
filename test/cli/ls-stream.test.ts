/**
 * `ls` tables and CSV of the live host come from the netlink stream (rows
 * kept as text, owners added after the fd scan); /proc still goes through a
 * snapshot. Both must print the same rows for the same sockets.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type MadeSockets, makeSockets, sockdoc } from "../support/run.js";

describe("ls streamed from netlink", () => {
  let made: MadeSockets;
  before(async () => {
    made = await makeSockets({ established: 3, closeWait: 3, timeWait: 2 });
  });
  after(() => made.child.kill());

  for (const format of ["table", "csv"]) {
    it(`prints the rows the /proc snapshot prints, owners included (${format})`, () => {
      const filter = [
        "exclude",
        "listen",
        "exclude",
        "time-wait",
        "(",
        "sport",
        "=",
        `:${made.leakyPort}`,
        "or",
        "dport",
        "=",
        `:${made.leakyPort}`,
        ")",
      ];
      const run = (source: string): string[] => {
        const r = sockdoc(["ls", "-p", "--format", format, "--source", source, ...filter]);
        assert.equal(r.status, 0, r.stderr);
        const [head, ...rows] = r.stdout.trimEnd().split("\n");
        return [head!, ...rows.sort()];
      };
      const streamed = run("netlink");
      assert.deepEqual(streamed, run("proc"));
      // The leaky server's 3 CLOSE_WAIT sockets and their 3 client ends (/proc has no listener backlog).
      assert.equal(streamed.length, 1 + 6, streamed.join("\n"));
      assert.equal(streamed.filter((l) => l.includes(`node/${made.pid}/fd`)).length, 6, streamed.join("\n"));
    });
  }
});
