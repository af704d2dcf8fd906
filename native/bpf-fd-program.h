// The task_file iterator program behind the owner lookup: the kernel calls
// it once per open file of every process (threads sharing their leader's
// file table are skipped by the kernel, unless the leader has exited); for
// a socket (an inode of sockfs: an O_PATH fd on a socket file has the mode
// too) it writes one 16-byte SocketFdRecord to the iterator's output. Reading that output replaces a
// readlink per fd in /proc/PID/fd with one read per ~2,000 sockets.
#ifndef SOCKDOC_BPF_FD_PROGRAM_H
#define SOCKDOC_BPF_FD_PROGRAM_H

#include <linux/bpf.h>
#include <stdint.h>

#include <vector>

namespace sockdoc {

// Byte offsets in the running kernel's structs, from its BTF (read by
// TypeScript: src/sources/bpf/fd-offsets.ts).
struct FdOffsets {
  int32_t ctx_meta;     // bpf_iter__task_file.meta (struct bpf_iter_meta *)
  int32_t ctx_task;     // bpf_iter__task_file.task (struct task_struct *)
  int32_t ctx_fd;       // bpf_iter__task_file.fd (u32)
  int32_t ctx_file;     // bpf_iter__task_file.file (struct file *)
  int32_t meta_seq;     // bpf_iter_meta.seq (struct seq_file *)
  int32_t file_inode;   // file.f_inode (struct inode *)
  int32_t inode_mode;   // inode.i_mode (u16)
  int32_t inode_ino;    // inode.i_ino (unsigned long)
  int32_t inode_sb;     // inode.i_sb (struct super_block *)
  int32_t sb_magic;     // super_block.s_magic (unsigned long)
  int32_t task_tgid;    // task_struct.tgid (the process id, as /proc names it)
};

// What the program writes per socket (host byte order).
struct SocketFdRecord {
  uint32_t pid;
  uint32_t fd;
  uint64_t inode;
};
static_assert(sizeof(SocketFdRecord) == 16, "the program writes 16 bytes");

std::vector<bpf_insn> SocketFdProgram(const FdOffsets& offsets);

}  // namespace sockdoc

#endif
