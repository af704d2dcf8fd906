// Assembles the socket fd iterator program (see bpf-fd-program.h).
// Fields of the context, the file, its inode and the task are read with
// plain loads: the verifier knows their BTF types and turns each load into
// one that cannot fault.
#include "bpf-fd-program.h"

#include <stddef.h>
#include <string.h>

#include "bpf-assembler.h"

namespace sockdoc {
namespace {

constexpr int16_t kRecord = -16;  // the SocketFdRecord on the stack
constexpr int32_t kFileType = 0xf000;  // S_IFMT
constexpr int32_t kSocketType = 0xc000;  // S_IFSOCK
constexpr int32_t kSockfsMagic = 0x534F434B;  // SOCKFS_MAGIC: the socket's own inode, not a path's

enum Label { kOut };

// A field of the record on the stack, as a frame offset.
int16_t RecordField(size_t offset) { return static_cast<int16_t>(kRecord + static_cast<int16_t>(offset)); }

}  // namespace

std::vector<bpf_insn> SocketFdProgram(const FdOffsets& o) {
  Assembler a;
  a.Mov(BPF_REG_6, BPF_REG_1);                       // r6 = ctx
  a.Load(BPF_DW, BPF_REG_7, BPF_REG_6, o.ctx_file);  // r7 = file (NULL in the last call, when the walk ends)
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_7, 0, kOut);
  a.Load(BPF_DW, BPF_REG_8, BPF_REG_6, o.ctx_task);  // r8 = task
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_8, 0, kOut);
  a.Load(BPF_DW, BPF_REG_1, BPF_REG_7, o.file_inode);  // r1 = file->f_inode
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_1, 0, kOut);
  a.Load(BPF_H, BPF_REG_2, BPF_REG_1, o.inode_mode);
  a.Emit(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, kFileType);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_2, kSocketType, kOut);
  a.Load(BPF_DW, BPF_REG_2, BPF_REG_1, o.inode_sb);  // r2 = inode->i_sb
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_2, 0, kOut);
  a.Load(BPF_DW, BPF_REG_2, BPF_REG_2, o.sb_magic);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_2, kSockfsMagic, kOut);

  a.Load(BPF_DW, BPF_REG_3, BPF_REG_1, o.inode_ino);
  a.Store(BPF_DW, BPF_REG_10, RecordField(offsetof(SocketFdRecord, inode)), BPF_REG_3);
  a.Load(BPF_W, BPF_REG_3, BPF_REG_8, o.task_tgid);
  a.Store(BPF_W, BPF_REG_10, RecordField(offsetof(SocketFdRecord, pid)), BPF_REG_3);
  a.Load(BPF_W, BPF_REG_3, BPF_REG_6, o.ctx_fd);
  a.Store(BPF_W, BPF_REG_10, RecordField(offsetof(SocketFdRecord, fd)), BPF_REG_3);

  // The record, to the iterator's output.
  a.SeqWrite(BPF_REG_6, o.ctx_meta, o.meta_seq, kRecord, sizeof(SocketFdRecord));

  a.Place(kOut);
  a.MovImm(BPF_REG_0, 0);
  a.Emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return a.Finish();
}

}  // namespace sockdoc
