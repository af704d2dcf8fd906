/**
 * @module A small BTF blob built by hand for tests: the structs and
 * members the state tracer reads, at offsets chosen by the test, in the
 * kernel's encoding (include/uapi/linux/btf.h), with the traps real BTF has:
 * anonymous unions and structs, a bitfield struct (kind_flag), typedefs.
 */

export interface Member {
  name: string;
  type: number;
  /** bits */
  offset: number;
  bitfieldSize?: number;
}

export class BtfBuilder {
  private readonly types: Buffer[] = [];
  private readonly strings: string[] = [""];
  private stringBytes = 1;
  private readonly stringAt = new Map<string, number>([["", 0]]);

  private str(s: string): number {
    const known = this.stringAt.get(s);
    if (known !== undefined) return known;
    const at = this.stringBytes;
    this.strings.push(s);
    this.stringAt.set(s, at);
    this.stringBytes += Buffer.byteLength(s) + 1;
    return at;
  }

  private push(header: [number, number, number], extra: Buffer = Buffer.alloc(0)): number {
    const b = Buffer.alloc(12);
    b.writeUInt32LE(header[0], 0);
    b.writeUInt32LE(header[1] >>> 0, 4);
    b.writeUInt32LE(header[2], 8);
    this.types.push(Buffer.concat([b, extra]));
    return this.types.length; // type ids start at 1
  }

  int(name: string, bytes: number): number {
    const extra = Buffer.alloc(4);
    extra.writeUInt32LE(bytes * 8, 0);
    return this.push([this.str(name), 1 << 24, bytes], extra);
  }

  ptr(to: number): number {
    return this.push([0, 2 << 24, to]);
  }

  typedef(name: string, to: number): number {
    return this.push([this.str(name), 8 << 24, to]);
  }

  array(of: number, index: number, count: number): number {
    const extra = Buffer.alloc(12);
    extra.writeUInt32LE(of, 0);
    extra.writeUInt32LE(index, 4);
    extra.writeUInt32LE(count, 8);
    return this.push([0, 3 << 24, 0], extra);
  }

  /** A struct (or union); kindFlag encodes bitfield sizes in the offsets as the kernel does. */
  struct(
    name: string,
    size: number,
    members: Member[],
    opts: { union?: boolean; kindFlag?: boolean } = {},
  ): number {
    const extra = Buffer.alloc(12 * members.length);
    members.forEach((m, i) => {
      extra.writeUInt32LE(this.str(m.name), 12 * i);
      extra.writeUInt32LE(m.type, 12 * i + 4);
      const offset = opts.kindFlag ? ((m.bitfieldSize ?? 0) << 24) | m.offset : m.offset;
      extra.writeUInt32LE(offset >>> 0, 12 * i + 8);
    });
    const kind = opts.union ? 5 : 4;
    const info = (kind << 24) | members.length | (opts.kindFlag ? 0x80000000 : 0);
    return this.push([this.str(name), info, size], extra);
  }

  /** An anonymous union of one member (the kernel wraps address pairs so). */
  union8(member: number): number {
    return this.struct("", 8, [{ name: "", type: member, offset: 0 }], { union: true });
  }

  /** An ENUM (to check that kinds with extra data are skipped right). */
  enumOf(name: string, values: string[]): number {
    const extra = Buffer.alloc(8 * values.length);
    values.forEach((v, i) => {
      extra.writeUInt32LE(this.str(v), 8 * i);
      extra.writeInt32LE(i, 8 * i + 4);
    });
    return this.push([this.str(name), (6 << 24) | values.length, 4], extra);
  }

  /** A FUNC (what tracing and iterator programs attach to); proto may be any type id here. */
  func(name: string, proto: number): number {
    return this.push([this.str(name), 12 << 24, proto]);
  }

  build(): Buffer {
    const typeSection = Buffer.concat(this.types);
    const stringSection = Buffer.concat(this.strings.map((s) => Buffer.from(`${s}\0`)));
    const header = Buffer.alloc(24);
    header.writeUInt16LE(0xeb9f, 0);
    header.writeUInt8(1, 2);
    header.writeUInt32LE(24, 4);
    header.writeUInt32LE(0, 8);
    header.writeUInt32LE(typeSection.length, 12);
    header.writeUInt32LE(typeSection.length, 16);
    header.writeUInt32LE(stringSection.length, 20);
    return Buffer.concat([header, typeSection, stringSection]);
  }
}

/**
 * The tracer's structs at offsets unlike any real kernel's: the parser must
 * find them, not remember them.
 */
export function tracerBtf(opts: { withIpv6?: boolean; protocolBitfield?: boolean } = {}): Buffer {
  const b = new BtfBuilder();
  const u8 = b.int("unsigned char", 1);
  const u16 = b.int("short unsigned int", 2);
  const u32 = b.int("unsigned int", 4);
  const be16 = b.typedef("__be16", u16);
  const be32 = b.typedef("__be32", u32);
  b.enumOf("noise", ["A", "B", "C"]);
  const addrs = b.struct("", 8, [
    { name: "skc_daddr", type: be32, offset: 0 },
    { name: "skc_rcv_saddr", type: be32, offset: 32 },
  ]);
  const addrUnion = b.union8(addrs);
  const ports = b.struct("", 4, [
    { name: "skc_dport", type: be16, offset: 0 },
    { name: "skc_num", type: u16, offset: 16 },
  ]);
  const in6 = b.struct("in6_addr", 16, [{ name: "s6_addr", type: b.array(u8, u32, 16), offset: 0 }]);
  const nsCommon = b.struct("ns_common", 32, [
    { name: "stashed", type: u32, offset: 0 },
    { name: "inum", type: u32, offset: 96 },
  ]);
  const net = b.struct("net", 256, [
    { name: "passive", type: u32, offset: 0 },
    { name: "ns", type: nsCommon, offset: 640 },
  ]);
  const netPtr = b.ptr(net);
  const possibleNet = b.typedef(
    "possible_net_t",
    b.struct("", 8, [{ name: "net", type: netPtr, offset: 0 }]),
  );
  const commonMembers: Member[] = [
    { name: "", type: addrUnion, offset: 64 },
    { name: "", type: ports, offset: 160 },
    { name: "skc_family", type: u16, offset: 192 },
    { name: "skc_reuse", type: u8, offset: 208, bitfieldSize: 4 },
    { name: "skc_net", type: possibleNet, offset: 256 },
  ];
  if (opts.withIpv6 !== false) {
    commonMembers.push({ name: "skc_v6_daddr", type: in6, offset: 384 });
    commonMembers.push({ name: "skc_v6_rcv_saddr", type: in6, offset: 512 });
  }
  const common = b.struct("sock_common", 96, commonMembers, { kindFlag: true });
  const sockMembers: Member[] = [
    { name: "__sk_common", type: common, offset: 0 },
    opts.protocolBitfield
      ? { name: "sk_protocol", type: u32, offset: 1000, bitfieldSize: 8 }
      : { name: "sk_protocol", type: u16, offset: 1040 },
  ];
  const sock = b.struct("sock", 200, sockMembers, { kindFlag: opts.protocolBitfield === true });
  b.struct("inet_sock", 300, [
    { name: "sk", type: sock, offset: 0 },
    { name: "inet_sport", type: be16, offset: 1800 },
  ]);
  return b.build();
}

/** The fd iterator's structs and its FUNC, at offsets unlike any real kernel's. */
export function fdIteratorBtf(opts: { withFunc?: boolean; modeBytes?: number } = {}): Buffer {
  const b = new BtfBuilder();
  const u16 = b.int("short unsigned int", 2);
  const u32 = b.int("unsigned int", 4);
  const ulong = b.int("long unsigned int", 8);
  const umode = b.typedef("umode_t", opts.modeBytes === 4 ? u32 : u16);
  // The kernel's way: each pointer inside an anonymous union of one.
  const wrap = (name: string, to: number) =>
    b.struct("", 8, [{ name, type: b.ptr(to), offset: 0 }], { union: true });
  const seq = b.struct("seq_file", 8, []);
  const meta = b.struct("bpf_iter_meta", 24, [
    { name: "", type: wrap("seq", seq), offset: 0 },
    { name: "session_id", type: ulong, offset: 64 },
  ]);
  const superBlock = b.struct("super_block", 256, [
    { name: "s_dev", type: u32, offset: 0 },
    { name: "s_magic", type: ulong, offset: 1024 },
  ]);
  const inode = b.struct("inode", 128, [
    { name: "i_flags", type: u32, offset: 0 },
    { name: "i_mode", type: umode, offset: 64 },
    { name: "i_sb", type: b.ptr(superBlock), offset: 320 },
    { name: "i_ino", type: ulong, offset: 512 },
  ]);
  const file = b.struct("file", 64, [
    { name: "f_count", type: ulong, offset: 0 },
    { name: "f_inode", type: b.ptr(inode), offset: 192 },
  ]);
  const task = b.struct("task_struct", 2048, [
    { name: "pid", type: u32, offset: 8000 },
    { name: "tgid", type: u32, offset: 8032 },
  ]);
  const ctx = b.struct("bpf_iter__task_file", 32, [
    { name: "", type: wrap("meta", meta), offset: 0 },
    { name: "", type: wrap("task", task), offset: 64 },
    { name: "fd", type: u32, offset: 128 },
    { name: "", type: wrap("file", file), offset: 192 },
  ]);
  if (opts.withFunc !== false) b.func("bpf_iter_task_file", ctx);
  return b.build();
}
