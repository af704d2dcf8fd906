import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readlinkSync } from "node:fs";
import { after, describe, it } from "node:test";
import { findOwners } from "../../src/sources/owners.js";
import { listedInodes } from "../../src/sources/owners/still-open.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { makeSockets } from "../support/run.js";

/** /proc where one live process refuses its fds, as a process of another user (or pid 1 in a sandbox) does. */
class OneRefusal extends ProcFs {
  constructor(private readonly refusing: number) {
    super("/proc");
  }
  override list(...parts: Array<string | number>): string[] {
    if (parts[1] === "fd" && Number(parts[0]) === this.refusing) {
      throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
    }
    return super.list(...parts);
  }
}

describe("owners that exited before the scan reached them", () => {
  const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
  after(() => sleeper.kill());

  it("are not blamed on the process that refused (their sockets closed: counted apart)", async () => {
    // A process holding a CLOSE_WAIT socket; its inode is read, then it dies.
    const maker = await makeSockets({ established: 0, closeWait: 1, timeWait: 0 });
    const fd = maker.closeWait[0]!.fd!;
    const inode = Number(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${maker.pid}/fd/${fd}`))![1]);
    const exited = new Promise((resolve) => maker.child.once("exit", resolve));
    maker.child.kill("SIGKILL");
    await exited;

    const r = findOwners(new OneRefusal(sleeper.pid!), [inode], { native: null, asRoot: true });
    assert.equal(r.byInode.size, 0);
    assert.ok(r.deniedPids >= 1, "the refusing process was not counted");
    assert.deepEqual(r.warnings, [], "a socket whose owner exited was blamed on a refusal");
    assert.equal(r.closedSockets, 1);
  });

  it("still blames a refusal for a socket that stays open and unowned", () => {
    // The fixture-free half: an inode listed in /proc/net/tcp is open; one that is not, closed.
    const open = new Set<number>();
    const text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0\n";
    listedInodes(text, new Set([4242, 777]), open);
    assert.deepEqual([...open], [4242]);
  });
});
