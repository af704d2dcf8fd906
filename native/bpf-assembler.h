// A tiny BPF assembler with forward labels, shared by the programs sockdoc
// loads (the state tracer, the socket fd iterator). Each instruction is the
// kernel's encoding (include/uapi/linux/bpf.h): no compiler on the host.
#ifndef SOCKDOC_BPF_ASSEMBLER_H
#define SOCKDOC_BPF_ASSEMBLER_H

#include <linux/bpf.h>
#include <stdint.h>

#include <stdexcept>
#include <vector>

namespace sockdoc {

class Assembler {
 public:
  void Emit(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    bpf_insn insn{};
    insn.code = code;
    insn.dst_reg = dst;
    insn.src_reg = src;
    insn.off = off;
    insn.imm = imm;
    insns_.push_back(insn);
  }
  void Mov(uint8_t dst, uint8_t src) { Emit(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
  void MovImm(uint8_t dst, int32_t imm) { Emit(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
  void AddImm(uint8_t dst, int32_t imm) { Emit(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm); }
  void Load(uint8_t size, uint8_t dst, uint8_t src, int16_t off) { Emit(BPF_LDX | BPF_MEM | size, dst, src, off, 0); }
  void Store(uint8_t size, uint8_t dst, int16_t off, uint8_t src) { Emit(BPF_STX | BPF_MEM | size, dst, src, off, 0); }
  void StoreImm(uint8_t size, uint8_t dst, int16_t off, int32_t imm) { Emit(BPF_ST | BPF_MEM | size, dst, 0, off, imm); }
  void Call(int32_t helper) { Emit(BPF_JMP | BPF_CALL, 0, 0, 0, helper); }
  void MapFd(uint8_t dst, int fd) {
    Emit(BPF_LD | BPF_IMM | BPF_DW, dst, BPF_PSEUDO_MAP_FD, 0, fd);
    Emit(0, 0, 0, 0, 0);
  }
  // bpf_seq_write(ctx->meta->seq, fp + record, size): an iterator program's
  // output. ctx_meta and meta_seq are the offsets of bpf_iter__*.meta and
  // bpf_iter_meta.seq; clobbers r1-r5.
  void SeqWrite(uint8_t ctx, int16_t ctx_meta, int16_t meta_seq, int16_t record, int32_t size) {
    Load(BPF_DW, BPF_REG_1, ctx, ctx_meta);
    Load(BPF_DW, BPF_REG_1, BPF_REG_1, meta_seq);
    Mov(BPF_REG_2, BPF_REG_10);
    AddImm(BPF_REG_2, record);
    MovImm(BPF_REG_3, size);
    Call(BPF_FUNC_seq_write);
  }
  // A conditional jump (BPF_JMP or BPF_JMP32 class | op | BPF_K) to a label placed later.
  void JumpImm(uint8_t code, uint8_t reg, int32_t imm, int label) {
    fixups_.push_back({insns_.size(), label});
    Emit(code | BPF_K, reg, 0, 0, imm);
  }
  void Jump(int label) {
    fixups_.push_back({insns_.size(), label});
    Emit(BPF_JMP | BPF_JA, 0, 0, 0, 0);
  }
  void Place(int label) {
    if (labels_.size() <= static_cast<size_t>(label)) labels_.resize(label + 1, -1);
    labels_[label] = static_cast<long>(insns_.size());
  }
  std::vector<bpf_insn> Finish() {
    for (const Fixup& f : fixups_) {
      const long target = labels_.at(f.label);
      if (target < 0) throw std::logic_error("bpf assembler: label not placed");
      insns_[f.at].off = static_cast<int16_t>(target - static_cast<long>(f.at) - 1);
    }
    return insns_;
  }

 private:
  struct Fixup {
    size_t at;
    int label;
  };
  std::vector<bpf_insn> insns_;
  std::vector<Fixup> fixups_;
  std::vector<long> labels_;
};

}  // namespace sockdoc

#endif
