// The raw tracepoint program behind `sockdoc trace`, assembled here as BPF
// instructions: no compiler on the host. It runs on sock:inet_sock_set_state
// (args: struct sock *sk, int oldstate, int newstate), keeps TCP only, drops
// what the new-state mask and the namespace filter exclude in the kernel,
// and sends one 72-byte StateEvent per change to a ring buffer; a full ring
// adds one to the lost counter instead.
#ifndef SOCKDOC_BPF_STATE_PROGRAM_H
#define SOCKDOC_BPF_STATE_PROGRAM_H

#include <linux/bpf.h>
#include <stdint.h>

#include <vector>

namespace sockdoc {

// Byte offsets in the running kernel's structs, from its BTF (read by
// TypeScript: src/sources/bpf/btf.ts). -1: the kernel has no such field.
struct SockOffsets {
  int32_t family;         // sock_common.skc_family (u16)
  int32_t sport;          // inet_sock.inet_sport (network order; kept after the port is released)
  int32_t dport;          // sock_common.skc_dport (network order)
  int32_t rcv_saddr;      // sock_common.skc_rcv_saddr (IPv4)
  int32_t daddr;          // sock_common.skc_daddr (IPv4)
  int32_t v6_rcv_saddr;   // sock_common.skc_v6_rcv_saddr (-1 without IPv6)
  int32_t v6_daddr;       // sock_common.skc_v6_daddr
  int32_t net;            // sock_common.skc_net (struct net *)
  int32_t net_inum;       // net.ns.inum (the namespace's inode)
  int32_t protocol;       // sock.sk_protocol
  int32_t protocol_size;  // 1 or 2 bytes
};

struct StateFilter {
  uint32_t new_state_mask;  // bit (1 << state); all 12 states: no check
  uint32_t netns_inum;      // 0: every namespace
};

// The event's layout (little-endian on the host), decoded by
// src/sources/bpf/state-event.ts; keep the two in step.
constexpr int kEventBytes = 72;
constexpr int kEventTime = 0;       // u64 CLOCK_MONOTONIC ns
constexpr int kEventSkaddr = 8;     // u64 the struct sock's address
constexpr int kEventNetns = 16;     // u32
constexpr int kEventOldState = 20;  // u32
constexpr int kEventNewState = 24;  // u32
constexpr int kEventFamily = 28;    // u16
constexpr int kEventSport = 30;     // u16 network order
constexpr int kEventDport = 32;     // u16 network order
constexpr int kEventSaddr = 40;     // 4 or 16 bytes
constexpr int kEventDaddr = 56;     // 4 or 16 bytes

std::vector<bpf_insn> StateProgram(const SockOffsets& sock, const StateFilter& filter, int ring_fd, int lost_fd);

}  // namespace sockdoc

#endif
