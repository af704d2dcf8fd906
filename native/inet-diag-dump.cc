// inetDiagDump(family, statesMask): one SOCK_DIAG_BY_FAMILY dump of TCP
// sockets, returned as the raw reply messages in one Buffer. Decoding is done
// in TypeScript (src/sources/sock-diag.ts); this side only moves bytes.
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <new>
#include <thread>
#include <vector>

#include "addon.h"
#include "errors.h"
#include "netlink-socket.h"

namespace sockdoc {
namespace {

// The kernel fills at most ~32 KiB per datagram for a dump; twice that of free
// space before each receive means a datagram can never be cut.
constexpr size_t kReceiveSpace = 64 * 1024;
constexpr size_t kInitialCapacity = 1024 * 1024;

// The growing reply buffer; frees its memory on every path.
class ReplyBuffer {
 public:
  ~ReplyBuffer() { free(data_); }
  void Reserve(size_t free_space) {
    if (capacity_ - length_ >= free_space) return;
    size_t capacity = capacity_ ? capacity_ : kInitialCapacity;
    while (capacity - length_ < free_space) capacity *= 2;
    // Large blocks are mmap-backed, so realloc moves pages instead of bytes.
    char* grown = static_cast<char*>(realloc(data_, capacity));
    if (!grown) throw std::bad_alloc();
    data_ = grown;
    capacity_ = capacity;
  }
  char* Tail() { return data_ + length_; }
  char* Data() { return data_; }
  // Hands the memory over (trimmed to its length); the buffer is empty afterwards.
  char* Release() {
    char* data = data_;
    if (data && length_ > 0 && length_ < capacity_) {
      char* trimmed = static_cast<char*>(realloc(data, length_));
      if (trimmed) data = trimmed;
    }
    data_ = nullptr;
    length_ = capacity_ = 0;
    return data;
  }
  size_t Length() const { return length_; }
  void SetLength(size_t length) { length_ = length; }

 private:
  char* data_ = nullptr;
  size_t length_ = 0;
  size_t capacity_ = 0;
};

struct DumpRequest {
  struct nlmsghdr header;
  struct inet_diag_req_v2 body;
};

// Keeps this dump's data messages of one datagram at [start, start+length),
// compacting over anything dropped. Returns the new buffer length and sets
// done once NLMSG_DONE arrives; throws on NLMSG_ERROR or a dump that ended in
// error (NLMSG_DONE carrying a negative code).
size_t KeepDataMessages(char* base, size_t start, size_t length, uint32_t sequence, bool* done) {
  size_t read = start;
  size_t write = start;
  const size_t end = start + length;
  while (read < end) {
    if (end - read < sizeof(struct nlmsghdr)) throw SyscallFailure{EPROTO, "recvmsg"};
    const struct nlmsghdr* header = reinterpret_cast<const struct nlmsghdr*>(base + read);
    const size_t message_length = header->nlmsg_len;
    if (message_length < sizeof(struct nlmsghdr) || message_length > end - read) {
      throw SyscallFailure{EPROTO, "recvmsg"};
    }
    const size_t step = NLMSG_ALIGN(message_length) < end - read ? NLMSG_ALIGN(message_length) : end - read;
    if (header->nlmsg_seq == sequence) {
      if (header->nlmsg_type == NLMSG_DONE) {
        int code = 0;
        if (message_length >= NLMSG_LENGTH(sizeof(int))) memcpy(&code, NLMSG_DATA(header), sizeof code);
        if (code < 0) throw SyscallFailure{-code, "sock_diag"};
        *done = true;
        return write;
      }
      if (header->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr error = {};
        if (message_length >= NLMSG_LENGTH(sizeof error)) memcpy(&error, NLMSG_DATA(header), sizeof error);
        throw SyscallFailure{error.error < 0 ? -error.error : EPROTO, "sock_diag"};
      }
      if (header->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
        if (write != read) memmove(base + write, base + read, step);
        write += step;
      }
    }
    read += step;
  }
  return write;
}

// Runs the dump into replies (which keeps ownership of the memory).
void Dump(uint8_t family, uint32_t states, ReplyBuffer& replies) {
  NetlinkSocket socket;
  socket.SetReceiveBuffer(4 * 1024 * 1024);

  DumpRequest request = {};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = socket.NextSequence();
  request.body.sdiag_family = family;
  request.body.sdiag_protocol = IPPROTO_TCP;
  request.body.idiag_ext = 0;
  request.body.idiag_states = states;
  socket.Send(&request, sizeof request);

  bool done = false;
  while (!done) {
    replies.Reserve(kReceiveSpace);
    size_t start = replies.Length();
    size_t got = socket.Receive(replies.Tail(), kReceiveSpace);
    if (got == 0) throw SyscallFailure{EPROTO, "recvmsg"};
    replies.SetLength(KeepDataMessages(replies.Data(), start, got, request.header.nlmsg_seq, &done));
  }
}

// One dump's request and result, for the parallel form.
struct DumpJob {
  uint8_t family = 0;
  uint32_t states = 0;
  ReplyBuffer replies;
  int err = 0;
  const char* syscall = nullptr;
};

void RunJob(DumpJob* job) {
  try {
    Dump(job->family, job->states, job->replies);
  } catch (const SyscallFailure& failure) {
    job->err = failure.err;
    job->syscall = failure.syscall;
  } catch (const std::bad_alloc&) {
    job->err = ENOMEM;
    job->syscall = "malloc";
  }
}

uint8_t FamilyArgument(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throw Napi::TypeError::New(env, what);
  const int family = value.As<Napi::Number>().Int32Value();
  if (family != AF_INET && family != AF_INET6) {
    throw Napi::RangeError::New(env, "inetDiagDump: family must be 2 (AF_INET) or 10 (AF_INET6)");
  }
  return static_cast<uint8_t>(family);
}

}  // namespace

// The replies as a Buffer that owns their memory: no copy, so a 30 MB dump
// does not briefly need 60 MB (peak RSS is part of the benchmark). Its free()
// runs in a finalizer, later than a copy would be collected; sockdoc's
// commands dump once per run, so that does not pile up.
static Napi::Buffer<char> ToBuffer(Napi::Env env, ReplyBuffer& replies) {
  const size_t length = replies.Length();
  if (length == 0) return Napi::Buffer<char>::New(env, 0);
  char* data = replies.Release();
  return Napi::Buffer<char>::New(env, data, length, [](Napi::Env, char* owned) { free(owned); });
}

// inetDiagDumpMany(pairs): several dumps at once, one thread and one netlink
// socket each. The kernel does a dump's work in the receiving thread, so
// splitting one big dump by state (e.g. TIME_WAIT apart from the rest) uses
// every core instead of one.
Napi::Value InetDiagDumpMany(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "inetDiagDumpMany([[family, statesMask], ...]): an array of number pairs expected";
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(env, usage);
  Napi::Array pairs = info[0].As<Napi::Array>();
  const uint32_t count = pairs.Length();
  if (count > 16) throw Napi::RangeError::New(env, "inetDiagDumpMany: at most 16 dumps");
  std::vector<DumpJob> jobs(count);
  for (uint32_t i = 0; i < count; i++) {
    Napi::Value pair = pairs.Get(i);
    if (!pair.IsArray() || pair.As<Napi::Array>().Length() != 2) throw Napi::TypeError::New(env, usage);
    jobs[i].family = FamilyArgument(env, pair.As<Napi::Array>().Get(0u), usage);
    Napi::Value states = pair.As<Napi::Array>().Get(1u);
    if (!states.IsNumber()) throw Napi::TypeError::New(env, usage);
    jobs[i].states = states.As<Napi::Number>().Uint32Value();
  }
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (uint32_t i = 1; i < count; i++) threads.emplace_back(RunJob, &jobs[i]);
  if (count > 0) RunJob(&jobs[0]);
  for (std::thread& thread : threads) thread.join();
  Napi::Array result = Napi::Array::New(env, count);
  for (uint32_t i = 0; i < count; i++) {
    if (jobs[i].err) throw SystemError(env, jobs[i].err, jobs[i].syscall);
    result.Set(i, ToBuffer(env, jobs[i].replies));
  }
  return result;
}

Napi::Value InetDiagDump(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "inetDiagDump(family, statesMask): numbers expected");
  }
  const int family = info[0].As<Napi::Number>().Int32Value();
  if (family != AF_INET && family != AF_INET6) {
    throw Napi::RangeError::New(env, "inetDiagDump: family must be 2 (AF_INET) or 10 (AF_INET6)");
  }
  const uint32_t states = info[1].As<Napi::Number>().Uint32Value();
  ReplyBuffer replies;
  try {
    Dump(static_cast<uint8_t>(family), states, replies);
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
  return ToBuffer(env, replies);
}

}  // namespace sockdoc
