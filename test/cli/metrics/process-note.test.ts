import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { isRoot, type MadeSockets, makeSockets, sockdocBin } from "../../support/run.js";

const NOBODY = "65534";

describe(
  "metrics -p without root",
  { skip: isRoot ? false : "needs root: to run sockdoc as uid 65534 beside root's sockets" },
  () => {
    let made: MadeSockets;
    before(async () => {
      // Root's process holds the CLOSE_WAIT sockets: another user's, seen from uid 65534.
      made = await makeSockets({ established: 0, closeWait: 3, timeWait: 0 });
    });
    after(() => made?.child.kill());

    it("says the per-process metric leaves out other users' CLOSE_WAIT sockets", () => {
      const r = spawnSync(
        "setpriv",
        ["--reuid", NOBODY, "--regid", NOBODY, "--clear-groups", sockdocBin, "metrics", "-p"],
        { encoding: "utf8", timeout: 60_000 },
      );
      assert.equal(r.status, 0, r.stderr);
      const closeWait = Number(/^sockdoc_tcp_sockets\{state="close_wait"\} (\d+)$/m.exec(r.stdout)?.[1]);
      assert.ok(closeWait >= 3, `close_wait ${closeWait}`);
      // None of root's sockets can be attributed by uid 65534...
      assert.doesNotMatch(r.stdout, new RegExp(`sockdoc_close_wait_process_sockets\\{pid="${made.pid}"`));
      // ...and stderr says so, with the count left out.
      const note =
        /^sockdoc: warning: sockdoc_close_wait_process_sockets leaves out (\d+) CLOSE_WAIT sockets of other users' processes .*run as root/m.exec(
          r.stderr,
        );
      assert.ok(note, `no note on stderr: ${r.stderr}`);
      assert.ok(Number(note[1]) >= 3);
    });

    it("as root, has them in the metric and no such note", () => {
      const r = spawnSync(sockdocBin, ["metrics", "-p"], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`^sockdoc_close_wait_process_sockets\\{pid="${made.pid}",comm="node"\\} 3$`, "m"),
      );
      assert.doesNotMatch(r.stderr, /other users' processes/);
    });
  },
);
