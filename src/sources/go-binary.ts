/**
 * @module Tells whether a process runs a Go binary: Go's linker writes a
 * ".go.buildinfo" section (and ".note.go.buildid") into every executable,
 * stripped or not. Only the ELF header and section names are read, a few
 * kilobytes, through /proc/PID/exe.
 */
import { closeSync, openSync, readSync } from "node:fs";

const GO_SECTIONS = [".go.buildinfo", ".note.go.buildid", ".gopclntab"];

/** Section names from an ELF64 little-endian image given by a positional reader; null if not ELF64 LE. */
export function elfSectionNames(read: (offset: number, length: number) => Buffer): string[] | null {
  const h = read(0, 64);
  if (h.length < 64 || h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) return null;
  const shoff = Number(h.readBigUInt64LE(0x28));
  const shentsize = h.readUInt16LE(0x3a);
  const shnum = h.readUInt16LE(0x3c);
  const shstrndx = h.readUInt16LE(0x3e);
  if (shoff === 0 || shnum === 0 || shnum > 4096 || shentsize < 64 || shstrndx >= shnum) return null;
  const table = read(shoff, shnum * shentsize);
  if (table.length < shnum * shentsize) return null;
  const strHdr = shstrndx * shentsize;
  const strOff = Number(table.readBigUInt64LE(strHdr + 0x18));
  const strSize = Math.min(Number(table.readBigUInt64LE(strHdr + 0x20)), 1 << 16);
  const strings = read(strOff, strSize);
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = table.readUInt32LE(i * shentsize);
    if (at >= strings.length) continue;
    const end = strings.indexOf(0, at);
    names.push(strings.toString("latin1", at, end < 0 ? strings.length : end));
  }
  return names;
}

export function isGoSectionList(names: readonly string[]): boolean {
  return names.some((n) => GO_SECTIONS.includes(n));
}

/** false when the file cannot be read (other users' processes, kernel threads, a fixture tree). */
export function isGoExecutable(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const read = (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    };
    const names = elfSectionNames(read);
    return names !== null && isGoSectionList(names);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
