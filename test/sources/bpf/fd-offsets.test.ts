/**
 * What the socket fd iterator needs from BTF (fd-offsets.ts): the FUNC it
 * attaches to and nine field offsets, found in a blob built by hand at
 * offsets no kernel has, through anonymous unions and typedefs; a missing
 * FUNC or a field of the wrong size refused with its name.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Btf } from "../../../src/sources/bpf/btf.js";
import { fdIteratorOffsets } from "../../../src/sources/bpf/fd-offsets.js";
import { tcpIteratorOffsets } from "../../../src/sources/bpf/tcp-offsets.js";
import { BTF_PATH } from "../../../src/sources/bpf/kernel-btf.js";
import { fdIteratorBtf } from "./btf-blob.js";

describe("fdIteratorOffsets", () => {
  it("finds the iterator's BTF id and the offsets the program reads", () => {
    const btf = new Btf(fdIteratorBtf());
    const found = fdIteratorOffsets(btf);
    assert.ok("offsets" in found, JSON.stringify(found));
    assert.equal(found.btfId, btf.funcId("bpf_iter_task_file"));
    assert.deepEqual(found.offsets, {
      ctxMeta: 0,
      ctxTask: 8,
      ctxFd: 16,
      ctxFile: 24,
      metaSeq: 0,
      fileInode: 24,
      inodeMode: 8,
      inodeIno: 64,
      inodeSb: 40,
      sbMagic: 128,
      taskTgid: 1004,
    });
  });

  it("says which kernels lack the iterator", () => {
    assert.deepEqual(fdIteratorOffsets(new Btf(fdIteratorBtf({ withFunc: false }))), {
      missing: "the bpf_iter_task_file iterator (Linux 5.8 or later)",
    });
  });

  it("refuses a field of another size than the program loads", () => {
    assert.deepEqual(fdIteratorOffsets(new Btf(fdIteratorBtf({ modeBytes: 4 }))), {
      missing: "struct inode.i_mode of 2 bytes",
    });
  });
});

describe("Btf.funcId", () => {
  it("finds a FUNC by its whole name only", () => {
    const btf = new Btf(fdIteratorBtf());
    assert.equal(typeof btf.funcId("bpf_iter_task_file"), "number");
    assert.equal(btf.funcId("bpf_iter_task"), null);
    assert.equal(btf.funcId("bpf_iter_task_file_"), null);
    // A struct of that name is not a FUNC.
    assert.equal(btf.funcId("inode"), null);
  });
});

describe("the running kernel's BTF (fd iterator)", () => {
  const skip = existsSync(BTF_PATH) ? false : `no ${BTF_PATH} on this kernel`;
  it("has the iterator and every field its program reads", { skip }, () => {
    const found = fdIteratorOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found, JSON.stringify(found));
    assert.equal(found.offsets.ctxFile, 24, "the context's fourth u64");
  });
});

describe("the running kernel's BTF (tcp iterator)", () => {
  const skip = existsSync(BTF_PATH) ? false : `no ${BTF_PATH} on this kernel`;
  it("has the iterator and every field its program reads", { skip }, () => {
    const found = tcpIteratorOffsets(new Btf(readFileSync(BTF_PATH)));
    assert.ok("offsets" in found, JSON.stringify(found));
    assert.deepEqual([found.offsets.ctxMeta, found.offsets.ctxSkCommon, found.offsets.ctxUid], [0, 8, 16]);
    // struct sock_common starts with the address pair, then the ports.
    assert.deepEqual([found.offsets.daddr, found.offsets.rcvSaddr], [0, 4]);
    assert.equal(found.offsets.dport + 2, found.offsets.num);
    // The TIME_WAIT timer lies past struct sock_common: only the TIME_WAIT type reaches it.
    assert.ok(found.offsets.twExpires > found.offsets.boundDevIf);
  });
});
