/**
 * When the BPF fd iterator fails mid-run (here: its handle closed under
 * it), the owner search falls back to the /proc walk with the same owners,
 * stays on the walk for the rest of the process, and says why (--debug).
 * Root only; a file of its own, since the iterator is kept per process.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadNative } from "../../src/sources/native.js";
import { socketFdIterator } from "../../src/sources/owners/fd-iterator.js";
import { findOwners, findOwnersAsync } from "../../src/sources/owners.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { fdOf, inodeOfFd, loopback } from "../fixtures/native/loopback.js";

const { addon } = loadNative();
const skip =
  process.getuid?.() !== 0 ? "not root: the fd iterator is a BPF program" : addon ? false : "no addon";

describe("the owner search after the fd iterator failed", { skip }, () => {
  it("walks /proc instead, finds the same owner and keeps the first reason", async () => {
    const lo = loopback();
    try {
      const server = await lo.listen("127.0.0.1");
      const fd = fdOf(server);
      const inode = inodeOfFd(fd);
      const proc = new ProcFs();
      // Loaded whatever the host's size (a test host has few files open).
      process.env.SOCKDOC_OWNERS = "bpf";
      const first = findOwners(proc, [inode], { native: addon });
      delete process.env.SOCKDOC_OWNERS;
      assert.equal(first.via, "bpf");
      socketFdIterator(addon!, proc).iterator!.close();
      const after = await findOwnersAsync(proc, [inode], { native: addon });
      assert.equal(after.via, "walk");
      assert.deepEqual([...after.byInode], [...first.byInode]);
      assert.match(after.iteratorNote ?? "", /^a scan failed \(.*closed\)$/);
      // Later searches stay on the walk, with the same reason.
      const later = findOwners(proc, [inode], { native: addon });
      assert.equal(later.via, "walk");
      assert.equal(later.iteratorNote, after.iteratorNote);
      assert.equal(socketFdIterator(addon!, proc).iterator, null);
    } finally {
      await lo.cleanup();
    }
  });
});
