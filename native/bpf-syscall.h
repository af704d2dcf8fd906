// Thin wrappers of the bpf(2) calls the state tracer and the socket fd iterator make: no libbpf, so
// nothing beyond the kernel's own headers is needed to build or run.
#ifndef SOCKDOC_BPF_SYSCALL_H
#define SOCKDOC_BPF_SYSCALL_H

#include <linux/bpf.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace sockdoc {

// Each returns a new fd (close-on-exec) or throws SyscallFailure.
int BpfMapCreate(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries, const char* name);
// What a BTF-typed program attaches to (tracing programs: an iterator's or
// a function's BTF id); zeros for the others.
struct ProgTarget {
  uint32_t expected_attach_type = 0;
  uint32_t attach_btf_id = 0;
};
// Loads a GPL program; on a verifier refusal throws with the verifier's
// last log line in *verifier_log (for the error text).
int BpfProgLoad(uint32_t type, const std::vector<bpf_insn>& insns, const char* name, std::string* verifier_log,
                const ProgTarget& target = ProgTarget{});
// A link of an iterator program (BPF_TRACE_ITER), and a readable instance of it:
// each read() runs the program over the next objects and returns what it wrote.
int BpfIterLinkCreate(int prog_fd);
int BpfIterCreate(int link_fd);
int BpfRawTracepointOpen(const char* tracepoint, int prog_fd);
// Runs the kernel skipped because the program was already running on that
// CPU (a change in softirq while one in process context was being traced): lost events too.
uint64_t BpfProgRecursionMisses(int prog_fd);
// The u64 at key 0 of an array map.
uint64_t BpfArrayCounter(int map_fd);

}  // namespace sockdoc

#endif
