// Assembles the tcp iterator program (see bpf-tcp-program.h). The socket
// is read with plain loads (the verifier knows its BTF type); TIME_WAIT and
// request sockets are first turned into their own types by the kernel's
// bpf_skc_to_* helpers, which check the state themselves.
#include "bpf-tcp-program.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>

#include "bpf-assembler.h"

namespace sockdoc {
namespace {

constexpr int16_t kRecord = -static_cast<int16_t>(kTcpRecordBytes);  // the message on the stack
constexpr int32_t kNewSynRecv = 12;  // TCP_NEW_SYN_RECV: a request socket
constexpr int32_t kTimerOn = 1;      // idiag_timer: retransmit (a request socket's SYN-ACK)
constexpr int32_t kTimerTimeWait = 3;

enum Label { kOut, kIpv4, kAddressesDone, kTimeWait, kRequest, kExpires, kStoreExpires, kFullSocket };

// A field of the message on the stack, as a frame offset.
int16_t At(size_t offset) { return static_cast<int16_t>(kRecord + static_cast<int16_t>(offset)); }
constexpr size_t kMsg = NLMSG_HDRLEN;
int16_t MsgAt(size_t offset) { return At(kMsg + offset); }
int16_t IdAt(size_t offset) { return MsgAt(offsetof(struct inet_diag_msg, id) + offset); }

}  // namespace

std::vector<bpf_insn> TcpEndpointProgram(const TcpOffsets& o) {
  static_assert(NLMSG_HDRLEN + sizeof(struct inet_diag_msg) == kTcpRecordBytes, "a reply message without attributes");
  Assembler a;
  a.Mov(BPF_REG_6, BPF_REG_1);                              // r6 = ctx
  a.Load(BPF_DW, BPF_REG_7, BPF_REG_6, o.ctx_sk_common);    // r7 = the socket (NULL in the last call)
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_7, 0, kOut);
  for (int16_t at = 0; at < static_cast<int16_t>(kTcpRecordBytes); at += 8) a.StoreImm(BPF_DW, BPF_REG_10, At(at), 0);
  a.StoreImm(BPF_W, BPF_REG_10, At(offsetof(struct nlmsghdr, nlmsg_len)), kTcpRecordBytes);
  a.StoreImm(BPF_H, BPF_REG_10, At(offsetof(struct nlmsghdr, nlmsg_type)), SOCK_DIAG_BY_FAMILY);
  a.StoreImm(BPF_H, BPF_REG_10, At(offsetof(struct nlmsghdr, nlmsg_flags)), NLM_F_MULTI);

  a.Load(BPF_H, BPF_REG_8, BPF_REG_7, o.family);  // r8 = family
  a.Store(BPF_B, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_family)), BPF_REG_8);
  a.Load(BPF_B, BPF_REG_9, BPF_REG_7, o.state);  // r9 = state
  a.Load(BPF_H, BPF_REG_2, BPF_REG_7, o.num);
  a.Emit(BPF_ALU | BPF_END | BPF_TO_BE, BPF_REG_2, 0, 0, 16);  // the dump's ports are in network order
  a.Store(BPF_H, BPF_REG_10, IdAt(offsetof(struct inet_diag_sockid, idiag_sport)), BPF_REG_2);
  a.Load(BPF_H, BPF_REG_2, BPF_REG_7, o.dport);
  a.Store(BPF_H, BPF_REG_10, IdAt(offsetof(struct inet_diag_sockid, idiag_dport)), BPF_REG_2);
  a.JumpImm(BPF_JMP | BPF_JNE, BPF_REG_8, AF_INET6, kIpv4);
  for (int16_t half = 0; half < 16; half += 8) {
    a.Load(BPF_DW, BPF_REG_2, BPF_REG_7, static_cast<int16_t>(o.v6_rcv_saddr + half));
    a.Store(BPF_DW, BPF_REG_10, static_cast<int16_t>(IdAt(offsetof(struct inet_diag_sockid, idiag_src)) + half),
            BPF_REG_2);
    a.Load(BPF_DW, BPF_REG_2, BPF_REG_7, static_cast<int16_t>(o.v6_daddr + half));
    a.Store(BPF_DW, BPF_REG_10, static_cast<int16_t>(IdAt(offsetof(struct inet_diag_sockid, idiag_dst)) + half),
            BPF_REG_2);
  }
  a.Jump(kAddressesDone);
  a.Place(kIpv4);  // an IPv4 address goes in the first word, as the dump has it
  a.Load(BPF_W, BPF_REG_2, BPF_REG_7, o.rcv_saddr);
  a.Store(BPF_W, BPF_REG_10, IdAt(offsetof(struct inet_diag_sockid, idiag_src)), BPF_REG_2);
  a.Load(BPF_W, BPF_REG_2, BPF_REG_7, o.daddr);
  a.Store(BPF_W, BPF_REG_10, IdAt(offsetof(struct inet_diag_sockid, idiag_dst)), BPF_REG_2);
  a.Place(kAddressesDone);
  a.Load(BPF_W, BPF_REG_2, BPF_REG_7, o.bound_dev_if);
  a.Store(BPF_W, BPF_REG_10, IdAt(offsetof(struct inet_diag_sockid, idiag_if)), BPF_REG_2);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_9, TCP_TIME_WAIT, kTimeWait);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_9, kNewSynRecv, kRequest);
  // A full socket's owner uid. The dump says 0 for TIME_WAIT and request
  // sockets (the iterator would give a request socket its listener's).
  a.Load(BPF_W, BPF_REG_2, BPF_REG_6, o.ctx_uid);
  a.Store(BPF_W, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_uid)), BPF_REG_2);
  a.Jump(kFullSocket);

  // TIME_WAIT: its substate (TIME_WAIT, or FIN_WAIT2 for an orphan that
  // timed out there) and the time left on its timer.
  a.Place(kTimeWait);
  a.Mov(BPF_REG_1, BPF_REG_7);
  a.Call(BPF_FUNC_skc_to_tcp_timewait_sock);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_0, 0, kFullSocket);
  a.Load(BPF_B, BPF_REG_9, BPF_REG_0, o.tw_substate);
  a.StoreImm(BPF_B, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_timer)), kTimerTimeWait);
  a.Load(BPF_DW, BPF_REG_8, BPF_REG_0, o.tw_expires);  // r8 = when, in jiffies
  a.Jump(kExpires);

  // A request socket: SYN_RECV, its SYN-ACK timer and retransmissions.
  a.Place(kRequest);
  a.Mov(BPF_REG_1, BPF_REG_7);
  a.Call(BPF_FUNC_skc_to_tcp_request_sock);
  a.JumpImm(BPF_JMP | BPF_JEQ, BPF_REG_0, 0, kFullSocket);
  a.MovImm(BPF_REG_9, TCP_SYN_RECV);
  a.StoreImm(BPF_B, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_timer)), kTimerOn);
  a.Load(BPF_B, BPF_REG_2, BPF_REG_0, o.req_retrans);
  a.Store(BPF_B, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_retrans)), BPF_REG_2);
  a.Load(BPF_DW, BPF_REG_8, BPF_REG_0, o.req_expires);

  // expires = max(0, when - now), in jiffies.
  a.Place(kExpires);
  a.Call(BPF_FUNC_jiffies64);
  a.Emit(BPF_ALU64 | BPF_SUB | BPF_X, BPF_REG_8, BPF_REG_0, 0, 0);
  a.JumpImm(BPF_JMP | BPF_JSGT, BPF_REG_8, 0, kStoreExpires);
  a.MovImm(BPF_REG_8, 0);
  a.Place(kStoreExpires);
  a.Store(BPF_W, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_expires)), BPF_REG_8);

  a.Place(kFullSocket);  // a full socket's timer is left out (zero)
  a.Store(BPF_B, BPF_REG_10, MsgAt(offsetof(struct inet_diag_msg, idiag_state)), BPF_REG_9);

  // The message, to the iterator's output.
  a.SeqWrite(BPF_REG_6, o.ctx_meta, o.meta_seq, kRecord, kTcpRecordBytes);

  a.Place(kOut);
  a.MovImm(BPF_REG_0, 0);
  a.Emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return a.Finish();
}

}  // namespace sockdoc
