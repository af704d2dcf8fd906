/**
 * @module Checks an addon file before it is loaded. dlopen maps the file into
 * the process: a cut copy (an interrupted copy, a full disk) has segments
 * that end past the end of the file, and touching them kills sockdoc with
 * SIGBUS, with no message and no chance to fall back. So the ELF header, the
 * program and section header tables and every loaded segment must lie
 * inside the file, and where the build left its SHA-256 stamp beside the
 * file (native/write-stamp.cjs), the bytes must match it. Pure but for
 * reading the two files.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** The stamp file binding.gyp writes beside each built addon. */
export function stampPathOf(addonPath: string): string {
  return `${addonPath}.sha256`;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const SHT_NOBITS = 8;

/** Field offsets and widths of the ELF headers, per class. */
interface ElfLayout {
  headerSize: number;
  word: 4 | 8;
  phoff: number;
  shoff: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
  /** In a program header: p_type, p_offset, p_filesz; minimum entry size. */
  ph: { type: number; offset: number; filesz: number; size: number };
  /** In a section header: sh_type, sh_offset, sh_size; minimum entry size. */
  sh: { type: number; offset: number; size: number; entry: number };
}

const LAYOUT64: ElfLayout = {
  headerSize: 64,
  word: 8,
  phoff: 32,
  shoff: 40,
  phentsize: 54,
  phnum: 56,
  shentsize: 58,
  shnum: 60,
  shstrndx: 62,
  ph: { type: 0, offset: 8, filesz: 32, size: 56 },
  sh: { type: 4, offset: 24, size: 32, entry: 64 },
};

const LAYOUT32: ElfLayout = {
  headerSize: 52,
  word: 4,
  phoff: 28,
  shoff: 32,
  phentsize: 42,
  phnum: 44,
  shentsize: 46,
  shnum: 48,
  shstrndx: 50,
  ph: { type: 0, offset: 4, filesz: 16, size: 32 },
  sh: { type: 4, offset: 16, size: 20, entry: 40 },
};

/**
 * Why these bytes are not a whole shared object, or null when the headers,
 * segments and sections all lie inside them. Pure.
 */
export function elfDamage(bytes: Uint8Array): string | null {
  if (bytes.length < 16 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) return "not an ELF file";
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) return `unknown ELF class ${cls}`;
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) return `unknown ELF byte order ${data}`;
  const layout = cls === ELFCLASS64 ? LAYOUT64 : LAYOUT32;
  const size = bytes.length;
  if (size < layout.headerSize) return `cut short: ${size} bytes, less than an ELF header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = data === ELFDATA2LSB;
  const u16 = (at: number) => view.getUint16(at, little);
  const word = (at: number) =>
    layout.word === 8 ? Number(view.getBigUint64(at, little)) : view.getUint32(at, little);
  const u32 = (at: number) => view.getUint32(at, little);

  if (u16(16) !== ET_DYN) return "not a shared object";
  const inside = (offset: number, length: number) => offset <= size && length <= size - offset;

  const phoff = word(layout.phoff);
  const phentsize = u16(layout.phentsize);
  const phnum = u16(layout.phnum);
  if (phnum === 0 || phentsize < layout.ph.size) return "no program headers";
  if (!inside(phoff, phnum * phentsize)) return `cut short: program headers end past its ${size} bytes`;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at + layout.ph.type) !== PT_LOAD) continue;
    if (!inside(word(at + layout.ph.offset), word(at + layout.ph.filesz))) {
      return `cut short: a loaded segment ends past its ${size} bytes`;
    }
  }

  const shoff = word(layout.shoff);
  const shentsize = u16(layout.shentsize);
  const shnum = u16(layout.shnum);
  if (shnum === 0) return null; // a stripped file may have no section table; the segments were checked
  if (shentsize < layout.sh.entry) return "bad section header size";
  if (!inside(shoff, shnum * shentsize)) return `cut short: section headers end past its ${size} bytes`;
  if (u16(layout.shstrndx) >= shnum) return "bad section name table index";
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (u32(at + layout.sh.type) === SHT_NOBITS) continue;
    if (!inside(word(at + layout.sh.offset), word(at + layout.sh.size))) {
      return `cut short: section ${i} ends past its ${size} bytes`;
    }
  }
  return null;
}

/** Parses "sha256 <hex> size <n>"; null when the text is not a stamp. */
export function parseStamp(text: string): { sha256: string; size: number } | null {
  const m = /^sha256 ([0-9a-f]{64}) size (\d+)\s*$/.exec(text);
  return m ? { sha256: m[1]!, size: Number(m[2]) } : null;
}

/**
 * Why the addon at path must not be loaded, or null when it may be. The
 * stamp is checked when the build left one (a build by an older binding.gyp
 * has none; then the ELF checks alone decide).
 */
export function addonFileDamage(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const elf = elfDamage(bytes);
  if (elf) return elf;
  let stampText: string;
  try {
    stampText = readFileSync(stampPathOf(path), "utf8");
  } catch {
    return null;
  }
  const stamp = parseStamp(stampText);
  if (!stamp) return `its build stamp ${stampPathOf(path)} is unreadable`;
  if (stamp.size !== bytes.length) return `it has ${bytes.length} bytes where the build wrote ${stamp.size}`;
  if (createHash("sha256").update(bytes).digest("hex") !== stamp.sha256) {
    return "its bytes differ from what the build wrote (SHA-256 mismatch)";
  }
  return null;
}
