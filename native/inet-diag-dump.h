// One SOCK_DIAG_BY_FAMILY dump of TCP sockets into a growing buffer of raw
// reply messages; shared by inetDiagDump (one Buffer) and inetDiagStream
// (chunks handed over while the dump goes on).
#ifndef SOCKDOC_INET_DIAG_DUMP_H
#define SOCKDOC_INET_DIAG_DUMP_H

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "state-tally.h"

namespace sockdoc {

class TcpIter;

// The growing reply buffer; frees its memory on every path.
class ReplyBuffer {
 public:
  ReplyBuffer() = default;
  ReplyBuffer(const ReplyBuffer&) = delete;
  ReplyBuffer& operator=(const ReplyBuffer&) = delete;
  ~ReplyBuffer();
  void Reserve(size_t free_space);
  char* Tail() { return data_ + length_; }
  char* Data() { return data_; }
  // Hands the memory over (trimmed to its length); the buffer is empty afterwards.
  char* Release();
  size_t Length() const { return length_; }
  void SetLength(size_t length) { length_ = length; }

 private:
  char* data_ = nullptr;
  size_t length_ = 0;
  size_t capacity_ = 0;
};

// What one dump asks the kernel for. bytecode, when not empty, is an
// INET_DIAG_REQ_BYTECODE program (built and checked in TypeScript) that the
// kernel runs on every socket before it reports it.
struct DumpSpec {
  uint8_t family = 0;
  uint32_t states = 0;
  std::vector<uint8_t> bytecode;
  // The network namespace to dump (a path setns() can enter); empty: the caller's.
  std::string netns;
  // Sockets this tally wants are counted in it and not kept (null: keep all).
  StateTally* tally = nullptr;
  // Read by the BPF tcp iterator instead of netlink (bpf-tcp-iter.h): no
  // bytecode then, and only the fields of a socket's endpoints.
  std::shared_ptr<const TcpIter> iter;
};

// Runs the dump (family AF_UNSPEC: both families in one walk, or one dump
// per family on a kernel that refuses that), appending the data messages (SOCK_DIAG_BY_FAMILY only, whole
// messages) to replies. After every datagram, after_receive(replies) may take
// what has accumulated; it returns false to stop the dump early. Throws
// SyscallFailure on a failed call or an error reply.
void RunDump(const DumpSpec& spec, ReplyBuffer& replies, const std::function<bool(ReplyBuffer&)>& after_receive);

// The replies as a Buffer that owns their memory (no copy: a 30 MB dump does
// not briefly need 60 MB, and peak RSS is part of the benchmark).
Napi::Buffer<char> ToBuffer(Napi::Env env, ReplyBuffer& replies);

// Reads [family, statesMask] or [family, statesMask, bytecode Buffer | undefined]
// from JavaScript (a stream's dump may add [..., tallyStates, tallyDetail],
// read by the stream); throws a TypeError/RangeError naming usage otherwise.
DumpSpec DumpSpecArgument(Napi::Env env, const Napi::Value& value, const char* usage);

}  // namespace sockdoc

#endif
