import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { elfSectionNames, isGoExecutable, isGoSectionList } from "../../src/sources/go-binary.js";

/** A minimal ELF64 little-endian image: header, a string table, and section headers naming them. */
function elf(names: string[]): Buffer {
  const strtab = Buffer.from(`\0${names.join("\0")}\0.shstrtab\0`, "latin1");
  const shnum = names.length + 2; // null section + names + .shstrtab
  const strOff = 64;
  const shoff = strOff + strtab.length;
  const buf = Buffer.alloc(shoff + shnum * 64);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = 2;
  buf[5] = 1;
  buf.writeBigUInt64LE(BigInt(shoff), 0x28);
  buf.writeUInt16LE(64, 0x3a);
  buf.writeUInt16LE(shnum, 0x3c);
  buf.writeUInt16LE(shnum - 1, 0x3e);
  strtab.copy(buf, strOff);
  let at = 1;
  for (let i = 1; i < shnum; i++) {
    const h = shoff + i * 64;
    buf.writeUInt32LE(at, h);
    if (i === shnum - 1) {
      buf.writeBigUInt64LE(BigInt(strOff), h + 0x18);
      buf.writeBigUInt64LE(BigInt(strtab.length), h + 0x20);
    }
    at += ((i === shnum - 1 ? ".shstrtab" : names[i - 1]) as string).length + 1;
  }
  return buf;
}

const reader = (b: Buffer) => (offset: number, length: number) => b.subarray(offset, offset + length);

describe("Go binary detection", () => {
  it("reads section names from an ELF64 image", () => {
    assert.deepEqual(elfSectionNames(reader(elf([".text", ".go.buildinfo"]))), [
      "",
      ".text",
      ".go.buildinfo",
      ".shstrtab",
    ]);
  });
  it("tells Go sections from others", () => {
    assert.equal(isGoSectionList([".text", ".go.buildinfo"]), true);
    assert.equal(isGoSectionList([".text", ".data", ".note.gnu.build-id"]), false);
  });
  it("does not take a non-ELF or truncated file for one", () => {
    assert.equal(elfSectionNames(reader(Buffer.from("#!/bin/sh\necho hi\n"))), null);
    assert.equal(elfSectionNames(reader(elf([".text"]).subarray(0, 80))), null);
  });
  it("says no for node itself and for a missing file", () => {
    assert.equal(isGoExecutable(process.execPath), false);
    assert.equal(isGoExecutable("/nonexistent/binary"), false);
  });
  const goTool = ["/usr/bin/kubectl", "/usr/local/bin/docker", "/usr/local/bin/terraform"].find((p) =>
    existsSync(p),
  );
  it(
    "recognises a real Go program",
    {
      skip: goTool ? false : "no Go binary installed here to check against",
    },
    () => {
      assert.equal(isGoExecutable(goTool as string), true);
    },
  );
});
