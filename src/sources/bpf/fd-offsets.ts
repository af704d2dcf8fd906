/**
 * @module What the socket fd iterator's program (native/bpf-fd-program.cc)
 * needs from the running kernel's BTF: the id of the iterator it attaches to
 * (bpf_iter_task_file, Linux 5.8+) and the offsets of the fields it reads,
 * with the reason when one is missing. Pure: a Btf in, offsets or a reason out.
 */
import type { Btf } from "./btf.js";
import { type FieldSpec, fieldOffsets } from "./field-offsets.js";

/** Byte offsets in the running kernel (the addon's FdOffsets). */
export interface FdOffsets {
  ctxMeta: number;
  ctxTask: number;
  ctxFd: number;
  ctxFile: number;
  metaSeq: number;
  fileInode: number;
  inodeMode: number;
  inodeIno: number;
  inodeSb: number;
  sbMagic: number;
  taskTgid: number;
}

export const FD_ITERATOR = "bpf_iter_task_file";

const FIELDS: ReadonlyArray<FieldSpec<keyof FdOffsets>> = [
  ["ctxMeta", "bpf_iter__task_file", ["meta"], 8],
  ["ctxTask", "bpf_iter__task_file", ["task"], 8],
  ["ctxFd", "bpf_iter__task_file", ["fd"], 4],
  ["ctxFile", "bpf_iter__task_file", ["file"], 8],
  ["metaSeq", "bpf_iter_meta", ["seq"], 8],
  ["fileInode", "file", ["f_inode"], 8],
  ["inodeMode", "inode", ["i_mode"], 2],
  ["inodeIno", "inode", ["i_ino"], 8],
  ["inodeSb", "inode", ["i_sb"], 8],
  ["sbMagic", "super_block", ["s_magic"], 8],
  ["taskTgid", "task_struct", ["tgid"], 4],
];

/** The iterator's BTF id and the offsets, or a one-line reason why this kernel cannot give them. */
export function fdIteratorOffsets(btf: Btf): { btfId: number; offsets: FdOffsets } | { missing: string } {
  const btfId = btf.funcId(FD_ITERATOR);
  if (btfId === null) return { missing: `the ${FD_ITERATOR} iterator (Linux 5.8 or later)` };
  const found = fieldOffsets(btf, FIELDS);
  return "missing" in found ? found : { btfId, offsets: found.offsets };
}
