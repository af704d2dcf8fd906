/**
 * @module A reader of the kernel's BTF (/sys/kernel/btf/vmlinux) just big
 * enough to find struct member offsets and function ids: the BPF programs
 * (state tracer, socket fd iterator) read kernel struct fields at the
 * running kernel's own offsets, so no compiler and no CO-RE library are
 * needed. Names are decoded only when looked up (a vmlinux BTF has some
 * 150,000 types). Pure: bytes in, offsets out.
 * Format: include/uapi/linux/btf.h (header, type section, string section).
 */
import { InputError } from "../../model/errors.js";

const BTF_MAGIC = 0xeb9f;
const KIND = { INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8 } as const;
const KIND_VOLATILE = 9;
const KIND_CONST = 10;
const KIND_RESTRICT = 11;
const KIND_TYPE_TAG = 18;
const KIND_FUNC = 12;
const DECODER = new TextDecoder();

interface BtfType {
  nameOff: number;
  kind: number;
  kindFlag: boolean;
  /** size for INT/STRUCT/UNION/ENUM, the referenced type for PTR/TYPEDEF/CONST/... */
  sizeOrType: number;
  /** Where its members start in the blob (STRUCT/UNION), and how many. */
  membersAt: number;
  vlen: number;
}

const VOID: BtfType = { nameOff: 0, kind: 0, kindFlag: false, sizeOrType: 0, membersAt: 0, vlen: 0 };

/** Bytes of kind-specific data after a type's 12-byte header. */
function extraBytes(kind: number, vlen: number): number {
  switch (kind) {
    case 1: // INT
    case 14: // VAR
    case 17: // DECL_TAG
      return 4;
    case 3: // ARRAY
      return 12;
    case 4: // STRUCT
    case 5: // UNION
    case 15: // DATASEC
    case 19: // ENUM64
      return 12 * vlen;
    case 6: // ENUM
    case 13: // FUNC_PROTO
      return 8 * vlen;
    default: // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
      return 0;
  }
}

export interface MemberPlace {
  /** Byte offset from the start of the outer struct. */
  offset: number;
  /** The member's size in bytes (its type resolved through typedefs and qualifiers). */
  size: number;
  /** A bitfield: offset/size above are not byte-exact. */
  bitfield: boolean;
}

export class Btf {
  /** Where each type's 12-byte header starts, by id (id 0 is void: no header). */
  private readonly starts: number[] = [-1];
  /** Struct and union ids by name, made at the first lookup: decoding every name costs more than the parse. */
  private structsByName: Map<string, number[]> | null = null;
  private readonly view: DataView;
  private readonly strings: number;
  private readonly stringsEnd: number;

  constructor(private readonly blob: Uint8Array) {
    this.view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    if (blob.length < 24 || this.view.getUint16(0, true) !== BTF_MAGIC) {
      throw new InputError("BTF: not a little-endian BTF blob (bad magic)");
    }
    const hdrLen = this.view.getUint32(4, true);
    const typeOff = this.view.getUint32(8, true);
    const typeLen = this.view.getUint32(12, true);
    const strOff = this.view.getUint32(16, true);
    const strLen = this.view.getUint32(20, true);
    const typesStart = hdrLen + typeOff;
    const typesEnd = typesStart + typeLen;
    this.strings = hdrLen + strOff;
    this.stringsEnd = this.strings + strLen;
    if (typesEnd > blob.length || this.stringsEnd > blob.length)
      throw new InputError("BTF: sections past the end");
    let at = typesStart;
    while (at + 12 <= typesEnd) {
      const info = this.view.getUint32(at + 4, true);
      this.starts.push(at);
      at += 12 + extraBytes((info >>> 24) & 0x1f, info & 0xffff);
    }
    if (at !== typesEnd) throw new InputError("BTF: type section ends inside a type");
  }

  /** A type's header, decoded when asked (a vmlinux BTF has ~150,000 of them). */
  private type(id: number): BtfType | undefined {
    const at = this.starts[id];
    if (at === undefined || at < 0) return id === 0 ? VOID : undefined;
    const info = this.view.getUint32(at + 4, true);
    return {
      nameOff: this.view.getUint32(at, true),
      kind: (info >>> 24) & 0x1f,
      kindFlag: (info & 0x80000000) !== 0,
      sizeOrType: this.view.getUint32(at + 8, true),
      membersAt: at + 12,
      vlen: info & 0xffff,
    };
  }

  private kindOf(id: number): number {
    const at = this.starts[id];
    return at === undefined || at < 0 ? 0 : (this.view.getUint32(at + 4, true) >>> 24) & 0x1f;
  }

  private string(offset: number): string {
    const start = this.strings + offset;
    if (start >= this.stringsEnd) return "";
    let end = start;
    while (end < this.stringsEnd && this.blob[end] !== 0) end++;
    return DECODER.decode(this.blob.subarray(start, end));
  }

  /** Whether the name at nameOff is the bytes of wanted (no decoding). */
  private nameIs(nameOff: number, wanted: Uint8Array): boolean {
    const start = this.strings + nameOff;
    if (start + wanted.length >= this.stringsEnd || this.blob[start + wanted.length] !== 0) return false;
    for (let i = 0; i < wanted.length; i++) if (this.blob[start + i] !== wanted[i]) return false;
    return true;
  }

  private structIds(name: string): number[] | undefined {
    if (!this.structsByName) {
      this.structsByName = new Map();
      for (let id = 1; id < this.starts.length; id++) {
        const kind = this.kindOf(id);
        if (kind !== KIND.STRUCT && kind !== KIND.UNION) continue;
        const t = this.type(id)!;
        if (t.nameOff === 0) continue;
        const typeName = this.string(t.nameOff);
        const ids = this.structsByName.get(typeName);
        if (ids) ids.push(id);
        else this.structsByName.set(typeName, [id]);
      }
    }
    return this.structsByName.get(name);
  }

  /**
   * The id of the function named name (BTF kind FUNC), or null: what a
   * tracing or iterator program attaches to (e.g. "bpf_iter_task_file").
   */
  funcId(name: string): number | null {
    const wanted = new TextEncoder().encode(name);
    for (let id = 1; id < this.starts.length; id++) {
      if (this.kindOf(id) === KIND_FUNC && this.nameIs(this.view.getUint32(this.starts[id]!, true), wanted))
        return id;
    }
    return null;
  }

  /** Follows typedefs and qualifiers to the type they name. */
  private resolve(id: number): number {
    for (let hops = 0; hops < 32; hops++) {
      const t = this.type(id);
      if (!t) return 0;
      if (![KIND.TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG].includes(t.kind))
        return id;
      id = t.sizeOrType;
    }
    return 0;
  }

  private sizeOf(id: number): number {
    const t = this.type(this.resolve(id));
    if (!t) return 0;
    if (t.kind === KIND.PTR) return 8;
    if (t.kind === KIND.ARRAY) {
      const at = t.membersAt;
      return this.sizeOf(this.view.getUint32(at, true)) * this.view.getUint32(at + 8, true);
    }
    return t.sizeOrType;
  }

  /** A member by name, looking through anonymous structs and unions: [type id, bit offset, bitfield]. */
  private member(structId: number, name: string): [number, number, boolean] | null {
    const t = this.type(structId)!;
    for (let i = 0; i < t.vlen; i++) {
      const at = t.membersAt + 12 * i;
      const memberName = this.string(this.view.getUint32(at, true));
      const typeId = this.view.getUint32(at + 4, true);
      const raw = this.view.getUint32(at + 8, true);
      // With kind_flag the offset word also carries the bitfield size (top 8 bits).
      const bits = t.kindFlag ? raw & 0xffffff : raw;
      const bitfield = t.kindFlag && raw >>> 24 !== 0;
      if (memberName === name) return [typeId, bits, bitfield];
      if (memberName === "") {
        const inner = this.resolve(typeId);
        const kind = this.kindOf(inner);
        if (kind === KIND.STRUCT || kind === KIND.UNION) {
          const found = this.member(inner, name);
          if (found) return [found[0], bits + found[1], found[2]];
        }
      }
    }
    return null;
  }

  /**
   * Where path (member names, each inside the one before) lies in struct
   * structName; null when the struct or a member is missing (a kernel built
   * without the field, e.g. IPv6's addresses).
   */
  memberPlace(structName: string, path: readonly string[]): MemberPlace | null {
    const ids = this.structIds(structName)?.filter((id) => this.kindOf(id) === KIND.STRUCT);
    if (!ids || ids.length === 0) return null;
    let id = ids[0]!;
    let bits = 0;
    let bitfield = false;
    let typeId = id;
    for (const name of path) {
      const kind = this.kindOf(id);
      if (kind !== KIND.STRUCT && kind !== KIND.UNION) return null;
      const found = this.member(id, name);
      if (!found) return null;
      [typeId, , bitfield] = found;
      bits += found[1];
      id = this.resolve(typeId);
    }
    return { offset: Math.floor(bits / 8), size: this.sizeOf(typeId), bitfield: bitfield || bits % 8 !== 0 };
  }
}
