// bpf(2) by syscall number: glibc has no wrapper.
#include "bpf-syscall.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"

namespace sockdoc {
namespace {

long Bpf(int cmd, bpf_attr* attr) { return syscall(__NR_bpf, cmd, attr, sizeof(*attr)); }

void CopyName(char (&dest)[BPF_OBJ_NAME_LEN], const char* name) { strncpy(dest, name, BPF_OBJ_NAME_LEN - 1); }

}  // namespace

int BpfMapCreate(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries, const char* name) {
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.map_type = type;
  attr.key_size = key_size;
  attr.value_size = value_size;
  attr.max_entries = max_entries;
  CopyName(attr.map_name, name);
  const long fd = Bpf(BPF_MAP_CREATE, &attr);
  if (fd < 0) throw SyscallFailure{errno, "bpf(BPF_MAP_CREATE)"};
  return static_cast<int>(fd);
}

int BpfProgLoad(uint32_t type, const std::vector<bpf_insn>& insns, const char* name, std::string* verifier_log,
                const ProgTarget& target) {
  static const char kLicense[] = "GPL";  // bpf_probe_read_kernel is for GPL programs only
  std::vector<char> log(64 * 1024, '\0');
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = type;
  attr.expected_attach_type = target.expected_attach_type;
  attr.attach_btf_id = target.attach_btf_id;
  attr.insn_cnt = static_cast<uint32_t>(insns.size());
  attr.insns = reinterpret_cast<uintptr_t>(insns.data());
  attr.license = reinterpret_cast<uintptr_t>(kLicense);
  CopyName(attr.prog_name, name);
  // The verifier gives up with EAGAIN when a signal arrives while it works
  // (as libbpf does, try again a few times).
  long fd = Bpf(BPF_PROG_LOAD, &attr);
  for (int tries = 1; fd < 0 && errno == EAGAIN && tries < 5; tries++) fd = Bpf(BPF_PROG_LOAD, &attr);
  if (fd < 0 && errno == EACCES) {
    // A refusal by the verifier: load again with its log for the reason.
    const int first = errno;
    attr.log_level = 1;
    attr.log_size = static_cast<uint32_t>(log.size());
    attr.log_buf = reinterpret_cast<uintptr_t>(log.data());
    fd = Bpf(BPF_PROG_LOAD, &attr);
    if (fd < 0) {
      std::string text(log.data());
      while (!text.empty() && text.back() == '\n') text.pop_back();
      const size_t cut = text.rfind('\n', text.size() > 0 ? text.size() - 1 : 0);
      // The refusal is told near the end; keep a few lines.
      size_t start = cut;
      for (int lines = 0; lines < 3 && start != std::string::npos && start > 0; lines++) start = text.rfind('\n', start - 1);
      *verifier_log = start == std::string::npos ? text : text.substr(start + 1);
      errno = first;
    }
  }
  if (fd < 0) throw SyscallFailure{errno, "bpf(BPF_PROG_LOAD)"};
  return static_cast<int>(fd);
}

int BpfRawTracepointOpen(const char* tracepoint, int prog_fd) {
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.raw_tracepoint.name = reinterpret_cast<uintptr_t>(tracepoint);
  attr.raw_tracepoint.prog_fd = static_cast<uint32_t>(prog_fd);
  const long fd = Bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
  if (fd < 0) throw SyscallFailure{errno, "bpf(BPF_RAW_TRACEPOINT_OPEN)"};
  return static_cast<int>(fd);
}

int BpfIterLinkCreate(int prog_fd) {
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = static_cast<uint32_t>(prog_fd);
  attr.link_create.attach_type = BPF_TRACE_ITER;
  const long fd = Bpf(BPF_LINK_CREATE, &attr);
  if (fd < 0) throw SyscallFailure{errno, "bpf(BPF_LINK_CREATE)"};
  return static_cast<int>(fd);
}

int BpfIterCreate(int link_fd) {
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.iter_create.link_fd = static_cast<uint32_t>(link_fd);
  const long fd = Bpf(BPF_ITER_CREATE, &attr);
  if (fd < 0) throw SyscallFailure{errno, "bpf(BPF_ITER_CREATE)"};
  return static_cast<int>(fd);
}

uint64_t BpfProgRecursionMisses(int prog_fd) {
  bpf_prog_info info;
  memset(&info, 0, sizeof(info));
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.info.bpf_fd = static_cast<uint32_t>(prog_fd);
  attr.info.info_len = sizeof(info);
  attr.info.info = reinterpret_cast<uintptr_t>(&info);
  // Kernels before 5.12 have no such count (the field stays 0).
  if (Bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) < 0) throw SyscallFailure{errno, "bpf(BPF_OBJ_GET_INFO_BY_FD)"};
  return info.recursion_misses;
}

uint64_t BpfArrayCounter(int map_fd) {
  uint32_t key = 0;
  uint64_t value = 0;
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.map_fd = static_cast<uint32_t>(map_fd);
  attr.key = reinterpret_cast<uintptr_t>(&key);
  attr.value = reinterpret_cast<uintptr_t>(&value);
  if (Bpf(BPF_MAP_LOOKUP_ELEM, &attr) < 0) throw SyscallFailure{errno, "bpf(BPF_MAP_LOOKUP_ELEM)"};
  return value;
}

}  // namespace sockdoc
