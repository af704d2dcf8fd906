// Assembles the state-change program (see bpf-state-program.h) with the
// little assembler in bpf-assembler.h.
#include "bpf-state-program.h"

#include "bpf-assembler.h"

#include <stdexcept>

namespace sockdoc {
namespace {

constexpr int kAllStates = 0xfff;  // TCP_ESTABLISHED (1) .. TCP_NEW_SYN_RECV (12), as idiag_states
constexpr int kStack = -88;        // scratch u64 at r10-88, lookup key at r10-80, event at r10-72
constexpr int kKey = -80;
constexpr int kEvent = -72;

enum Label { kOut, kIpv6, kSend, kNetnsDone };

// bpf_probe_read_kernel(r10 + stack_off, size, r7 + field_off); the result in r0.
void ReadField(Assembler& a, int16_t stack_off, int32_t size, int32_t field_off) {
  a.Mov(BPF_REG_1, BPF_REG_10);
  a.AddImm(BPF_REG_1, stack_off);
  a.MovImm(BPF_REG_2, size);
  a.Mov(BPF_REG_3, BPF_REG_7);
  a.AddImm(BPF_REG_3, field_off);
  a.Call(BPF_FUNC_probe_read_kernel);
}

}  // namespace

std::vector<bpf_insn> StateProgram(const SockOffsets& sock, const StateFilter& filter, int ring_fd, int lost_fd) {
  Assembler a;
  a.Mov(BPF_REG_6, BPF_REG_1);              // r6 = ctx (u64 args[])
  a.Load(BPF_DW, BPF_REG_7, BPF_REG_6, 0);  // r7 = sk
  // The ring buffer reads the whole event: start from zeros.
  for (int16_t off = kStack; off < 0; off += 8) a.StoreImm(BPF_DW, BPF_REG_10, off, 0);

  // TCP only (the tracepoint also fires for SCTP and MPTCP's subflow owner).
  ReadField(a, kStack, sock.protocol_size, sock.protocol);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_0, 0, kOut);
  a.Load(sock.protocol_size == 1 ? BPF_B : BPF_H, BPF_REG_1, BPF_REG_10, kStack);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_1, 6 /* IPPROTO_TCP */, kOut);

  a.Load(BPF_DW, BPF_REG_8, BPF_REG_6, 16);  // r8 = newstate
  if ((filter.new_state_mask & kAllStates) != kAllStates) {
    a.MovImm(BPF_REG_1, 1);
    a.Emit(BPF_ALU64 | BPF_LSH | BPF_X, BPF_REG_1, BPF_REG_8, 0, 0);
    a.Emit(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, static_cast<int32_t>(filter.new_state_mask & kAllStates));
    a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_1, 0, kOut);
  }

  // The namespace: sk->__sk_common.skc_net.net->ns.inum (0 where unreadable).
  ReadField(a, kStack, 8, sock.net);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_0, 0, kNetnsDone);
  a.Mov(BPF_REG_1, BPF_REG_10);
  a.AddImm(BPF_REG_1, kEvent + kEventNetns);
  a.MovImm(BPF_REG_2, 4);
  a.Load(BPF_DW, BPF_REG_3, BPF_REG_10, kStack);
  a.AddImm(BPF_REG_3, sock.net_inum);
  a.Call(BPF_FUNC_probe_read_kernel);
  a.Place(kNetnsDone);
  if (filter.netns_inum != 0) {
    a.Load(BPF_W, BPF_REG_1, BPF_REG_10, kEvent + kEventNetns);
    a.JumpImm(BPF_JMP32 | BPF_JNE, BPF_REG_1, static_cast<int32_t>(filter.netns_inum), kOut);
  }

  a.Call(BPF_FUNC_ktime_get_ns);  // CLOCK_MONOTONIC
  a.Store(BPF_DW, BPF_REG_10, kEvent + kEventTime, BPF_REG_0);
  a.Store(BPF_DW, BPF_REG_10, kEvent + kEventSkaddr, BPF_REG_7);
  a.Load(BPF_DW, BPF_REG_1, BPF_REG_6, 8);  // oldstate
  a.Store(BPF_W, BPF_REG_10, kEvent + kEventOldState, BPF_REG_1);
  a.Store(BPF_W, BPF_REG_10, kEvent + kEventNewState, BPF_REG_8);
  ReadField(a, kEvent + kEventFamily, 2, sock.family);
  ReadField(a, kEvent + kEventSport, 2, sock.sport);
  ReadField(a, kEvent + kEventDport, 2, sock.dport);
  if (sock.v6_daddr >= 0 && sock.v6_rcv_saddr >= 0) {
    a.Load(BPF_H, BPF_REG_1, BPF_REG_10, kEvent + kEventFamily);
    a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_1, 10 /* AF_INET6 */, kIpv6);
  }
  ReadField(a, kEvent + kEventSaddr, 4, sock.rcv_saddr);
  ReadField(a, kEvent + kEventDaddr, 4, sock.daddr);
  a.Jump(kSend);
  a.Place(kIpv6);
  if (sock.v6_daddr >= 0 && sock.v6_rcv_saddr >= 0) {
    ReadField(a, kEvent + kEventSaddr, 16, sock.v6_rcv_saddr);
    ReadField(a, kEvent + kEventDaddr, 16, sock.v6_daddr);
  }

  a.Place(kSend);
  a.MapFd(BPF_REG_1, ring_fd);
  a.Mov(BPF_REG_2, BPF_REG_10);
  a.AddImm(BPF_REG_2, kEvent);
  a.MovImm(BPF_REG_3, kEventBytes);
  a.MovImm(BPF_REG_4, 0);
  a.Call(BPF_FUNC_ringbuf_output);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_0, 0, kOut);
  // The ring was full: count the event as lost (array map, key 0).
  a.StoreImm(BPF_W, BPF_REG_10, kKey, 0);
  a.MapFd(BPF_REG_1, lost_fd);
  a.Mov(BPF_REG_2, BPF_REG_10);
  a.AddImm(BPF_REG_2, kKey);
  a.Call(BPF_FUNC_map_lookup_elem);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_0, 0, kOut);
  a.MovImm(BPF_REG_1, 1);
  a.Emit(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0, BPF_REG_1, 0, BPF_ADD);

  a.Place(kOut);
  a.MovImm(BPF_REG_0, 0);
  a.Emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return a.Finish();
}

}  // namespace sockdoc
