/**
 * Namespace discovery on this host (root: the test makes a named namespace
 * and an unnamed one held only by its process), and --netns resolution.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { discoverNamespaces, parseNsLink, resolveNetns } from "../../../src/sources/netns/discover.js";
import { ProcFs } from "../../../src/sources/procfs.js";
import { createNetns, isRoot } from "../../support/run.js";

describe("parseNsLink", () => {
  it("reads the inode of a net link only", () => {
    assert.equal(parseNsLink("net:[4026531840]"), 4026531840);
    assert.equal(parseNsLink("mnt:[4026531840]"), null);
    assert.equal(parseNsLink("net:[x]"), null);
  });
});

describe("discoverNamespaces", { skip: isRoot ? false : "needs root for ip netns and unshare" }, () => {
  let named: ReturnType<typeof createNetns>;
  let holder: ReturnType<typeof spawn>;
  before(async () => {
    named = createNetns("discover");
    holder = spawn("unshare", ["--net", "sleep", "60"], { stdio: "ignore" });
    // unshare execs sleep in the new namespace: wait until the link says so.
    const self = statSync("/proc/self/ns/net").ino;
    for (let i = 0; i < 100; i++) {
      try {
        if (statSync(`/proc/${holder.pid}/ns/net`).ino !== self) break;
      } catch {
        // Not started yet.
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(() => {
    holder.kill();
    named.remove();
  });

  it("finds this namespace, the named one and the unnamed one, once each", () => {
    const { namespaces } = discoverNamespaces(new ProcFs());
    const inodes = namespaces.map((n) => n.inode);
    assert.equal(new Set(inodes).size, inodes.length, "deduplicated by inode");
    const mine = namespaces.find((n) => n.inode === statSync("/proc/self/ns/net").ino);
    assert.ok(mine?.pids.includes(process.pid));
    const byName = namespaces.find((n) => n.name === named.name);
    assert.ok(byName, "the ip netns one");
    assert.equal(byName.inode, statSync(`/run/netns/${named.name}`).ino);
    assert.equal(byName.path, `/run/netns/${named.name}`);
    const unnamed = namespaces.find((n) => n.pids.includes(holder.pid!));
    assert.ok(unnamed && unnamed.name === null && unnamed.inode !== mine!.inode);
  });

  it("resolves --netns as a name, a pid and a path", () => {
    const inode = statSync(`/run/netns/${named.name}`).ino;
    assert.equal(resolveNetns(named.name, new ProcFs()).inode, inode);
    assert.equal(resolveNetns(`/run/netns/${named.name}`, new ProcFs()).inode, inode);
    const r = resolveNetns(String(holder.pid), new ProcFs());
    assert.deepEqual(r.pids, [holder.pid]);
    assert.equal(r.inode, statSync(`/proc/${holder.pid}/ns/net`).ino);
  });

  it("refuses a name that is no namespace with a usage error", () => {
    assert.throws(() => resolveNetns("no-such-ns-here", new ProcFs()), {
      name: "UsageError",
      message: /--netns no-such-ns-here: cannot find ip netns "no-such-ns-here" \(ENOENT\)/,
    });
  });
});
