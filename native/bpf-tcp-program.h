// The tcp iterator program behind the endpoint read: the kernel calls it
// once per TCP socket of the iterator's network namespace (listening,
// established table, TIME_WAIT and request sockets alike); it writes one
// 88-byte reply message per socket, laid out as the netlink dump's (a
// struct nlmsghdr and a struct inet_diag_msg, no attributes), so the dump's
// reader and tally take it as they are. Only what a socket's endpoints are
// is filled: family, state (TIME_WAIT's substate, request sockets as
// SYN_RECV, as the dump has them), ports, addresses, bound device, a full
// socket's uid, and the timer of TIME_WAIT and request sockets, in jiffies
// (the reader turns them into ms). Queues, inode, cookie and the timers of full sockets stay
// zero: the read plan uses it only where no analysis reads those.
#ifndef SOCKDOC_BPF_TCP_PROGRAM_H
#define SOCKDOC_BPF_TCP_PROGRAM_H

#include <linux/bpf.h>
#include <stdint.h>

#include <vector>

namespace sockdoc {

// Byte offsets in the running kernel's structs, from its BTF (read by
// TypeScript: src/sources/bpf/tcp-offsets.ts).
struct TcpOffsets {
  int32_t ctx_meta;          // bpf_iter__tcp.meta (struct bpf_iter_meta *)
  int32_t ctx_sk_common;     // bpf_iter__tcp.sk_common (struct sock_common *)
  int32_t ctx_uid;           // bpf_iter__tcp.uid (uid_t)
  int32_t meta_seq;          // bpf_iter_meta.seq (struct seq_file *)
  int32_t family;            // sock_common.skc_family (u16)
  int32_t state;             // sock_common.skc_state (u8)
  int32_t num;               // sock_common.skc_num (u16, the local port in host order)
  int32_t dport;             // sock_common.skc_dport (be16)
  int32_t rcv_saddr;         // sock_common.skc_rcv_saddr (be32)
  int32_t daddr;             // sock_common.skc_daddr (be32)
  int32_t v6_rcv_saddr;      // sock_common.skc_v6_rcv_saddr (16 bytes)
  int32_t v6_daddr;          // sock_common.skc_v6_daddr (16 bytes)
  int32_t bound_dev_if;      // sock_common.skc_bound_dev_if (int)
  int32_t tw_substate;       // tcp_timewait_sock.tw_sk.tw_substate (u8)
  int32_t tw_expires;        // tcp_timewait_sock.tw_sk.tw_timer.expires (unsigned long, jiffies)
  int32_t req_retrans;       // tcp_request_sock.req.req.num_retrans (u8)
  int32_t req_expires;       // tcp_request_sock.req.req.rsk_timer.expires (unsigned long, jiffies)
};

// The message the program writes: what a dump's reply carries, attributes aside.
constexpr uint32_t kTcpRecordBytes = 88;

std::vector<bpf_insn> TcpEndpointProgram(const TcpOffsets& offsets);

}  // namespace sockdoc

#endif
