// inetDiagDump(family, statesMask[, bytecode]): one SOCK_DIAG_BY_FAMILY dump
// of TCP sockets, returned as the raw reply messages in one Buffer. Decoding
// is done in TypeScript (src/sources/sock-diag/); this side only moves bytes.
#include "inet-diag-dump.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <new>
#include <string>

#include "addon.h"
#include "bpf-tcp-iter.h"
#include "errors.h"
#include "netlink-socket.h"

namespace sockdoc {
namespace {

// The kernel fills at most ~32 KiB per datagram for a dump; twice that of free
// space before each receive means a datagram can never be cut.
constexpr size_t kReceiveSpace = 64 * 1024;
constexpr size_t kInitialCapacity = 1024 * 1024;
// Bytecode longer than this is refused by the kernel anyway (it must fit a request).
constexpr size_t kMaxBytecode = 4096;

// Keeps this dump's data messages of one datagram at [start, start+length),
// compacting over anything dropped (and over the sockets tally takes). Returns the new buffer length and sets
// done once NLMSG_DONE arrives; throws on NLMSG_ERROR or a dump that ended in
// error (NLMSG_DONE carrying a negative code).
size_t KeepDataMessages(char* base, size_t start, size_t length, uint32_t sequence, bool* done,
                        StateTally* tally) {
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
      // A compat dump (both families at once) answers with its request's type.
      if (header->nlmsg_type == SOCK_DIAG_BY_FAMILY || header->nlmsg_type == TCPDIAG_GETSOCK) {
        if (tally && message_length >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)) &&
            !tally->TakeOrKeep(static_cast<const struct inet_diag_msg*>(NLMSG_DATA(header)))) {
          read += step;
          continue;
        }
        if (write != read) memmove(base + write, base + read, step);
        reinterpret_cast<struct nlmsghdr*>(base + write)->nlmsg_type = SOCK_DIAG_BY_FAMILY;
        write += step;
      }
    }
    read += step;
  }
  return write;
}

// struct nlmsghdr + struct inet_diag_req_v2 [+ struct nlattr + bytecode].
// For AF_UNSPEC, the older TCPDIAG_GETSOCK request (struct inet_diag_req):
// the kernel answers it with both families from a single walk of the socket
// tables, where two SOCK_DIAG_BY_FAMILY dumps walk them twice.
std::vector<char> DumpRequest(const DumpSpec& spec, uint32_t sequence) {
  const size_t attribute = spec.bytecode.empty() ? 0 : NLA_HDRLEN + NLA_ALIGN(spec.bytecode.size());
  const bool both = spec.family == AF_UNSPEC;
  const size_t body_size = both ? sizeof(struct inet_diag_req) : sizeof(struct inet_diag_req_v2);
  const size_t length = NLMSG_LENGTH(body_size) + attribute;
  std::vector<char> message(length, 0);
  auto* header = reinterpret_cast<struct nlmsghdr*>(message.data());
  header->nlmsg_len = static_cast<uint32_t>(length);
  header->nlmsg_type = both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY;
  header->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  header->nlmsg_seq = sequence;
  if (both) {
    auto* body = reinterpret_cast<struct inet_diag_req*>(NLMSG_DATA(header));
    body->idiag_states = spec.states;
  } else {
    auto* body = reinterpret_cast<struct inet_diag_req_v2*>(NLMSG_DATA(header));
    body->sdiag_family = spec.family;
    body->sdiag_protocol = IPPROTO_TCP;
    body->idiag_ext = 0;
    body->idiag_states = spec.states;
  }
  if (attribute) {
    auto* nla = reinterpret_cast<struct nlattr*>(message.data() + NLMSG_LENGTH(body_size));
    nla->nla_len = static_cast<uint16_t>(NLA_HDRLEN + spec.bytecode.size());
    nla->nla_type = INET_DIAG_REQ_BYTECODE;
    memcpy(reinterpret_cast<char*>(nla) + NLA_HDRLEN, spec.bytecode.data(), spec.bytecode.size());
  }
  return message;
}

}  // namespace

ReplyBuffer::~ReplyBuffer() { free(data_); }

void ReplyBuffer::Reserve(size_t free_space) {
  if (capacity_ - length_ >= free_space) return;
  size_t capacity = capacity_ ? capacity_ : kInitialCapacity;
  while (capacity - length_ < free_space) capacity *= 2;
  // Large blocks are mmap-backed, so realloc moves pages instead of bytes.
  char* grown = static_cast<char*>(realloc(data_, capacity));
  if (!grown) throw std::bad_alloc();
  data_ = grown;
  capacity_ = capacity;
}

char* ReplyBuffer::Release() {
  char* data = data_;
  if (data && length_ > 0 && length_ < capacity_) {
    char* trimmed = static_cast<char*>(realloc(data, length_));
    if (trimmed) data = trimmed;
  }
  data_ = nullptr;
  length_ = capacity_ = 0;
  return data;
}

namespace {

// received is set once a socket has come (a refusal comes before any).
// Returns false when after_receive stopped the dump early.
bool RunOneDump(const DumpSpec& spec, ReplyBuffer& replies,
                const std::function<bool(ReplyBuffer&)>& after_receive, bool* received) {
  NetlinkSocket socket(spec.netns);
  socket.SetReceiveBuffer(4 * 1024 * 1024);
  const uint32_t sequence = socket.NextSequence();
  const std::vector<char> request = DumpRequest(spec, sequence);
  socket.Send(request.data(), request.size());

  bool done = false;
  while (!done) {
    replies.Reserve(kReceiveSpace);
    size_t start = replies.Length();
    size_t got = socket.Receive(replies.Tail(), kReceiveSpace);
    if (got == 0) throw SyscallFailure{EPROTO, "recvmsg"};
    const uint64_t tallied = spec.tally ? spec.tally->Taken() : 0;
    replies.SetLength(KeepDataMessages(replies.Data(), start, got, sequence, &done, spec.tally));
    // A socket tallied was sent too: a dump that fails after it must not be run again per family.
    if (replies.Length() > start || (spec.tally && spec.tally->Taken() != tallied)) *received = true;
    if (after_receive && !after_receive(replies)) return false;
  }
  return true;
}

}  // namespace

void RunDump(const DumpSpec& spec, ReplyBuffer& replies, const std::function<bool(ReplyBuffer&)>& after_receive) {
  if (spec.iter) {
    spec.iter->Run(spec, replies, after_receive);
    return;
  }
  bool received = false;
  if (spec.family != AF_UNSPEC) {
    RunOneDump(spec, replies, after_receive, &received);
    return;
  }
  try {
    RunOneDump(spec, replies, after_receive, &received);
    return;
  } catch (const SyscallFailure& failure) {
    // A kernel without the compat request refuses it before sending any
    // socket: then it is one dump per family, same sockets.
    if (received || std::string(failure.syscall) != "sock_diag") throw;
  }
  for (uint8_t family : {static_cast<uint8_t>(AF_INET), static_cast<uint8_t>(AF_INET6)}) {
    DumpSpec single = spec;
    single.family = family;
    if (!RunOneDump(single, replies, after_receive, &received)) return;
  }
}

// Its free() runs in a finalizer, later than a copy would be collected;
// sockdoc's commands dump once per run, so that does not pile up.
Napi::Buffer<char> ToBuffer(Napi::Env env, ReplyBuffer& replies) {
  const size_t length = replies.Length();
  if (length == 0) return Napi::Buffer<char>::New(env, 0);
  char* data = replies.Release();
  return Napi::Buffer<char>::New(env, data, length, [](Napi::Env, char* owned) { free(owned); });
}

DumpSpec DumpSpecArgument(Napi::Env env, const Napi::Value& value, const char* usage) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, usage);
  Napi::Array parts = value.As<Napi::Array>();
  const uint32_t count = parts.Length();
  if (count < 2 || count > 7) throw Napi::TypeError::New(env, usage);
  Napi::Value family = parts.Get(0u);
  Napi::Value states = parts.Get(1u);
  if (!family.IsNumber() || !states.IsNumber()) throw Napi::TypeError::New(env, usage);
  DumpSpec spec;
  const int family_number = family.As<Napi::Number>().Int32Value();
  if (family_number != AF_UNSPEC && family_number != AF_INET && family_number != AF_INET6) {
    throw Napi::RangeError::New(env, "inet_diag dump: family must be 0 (both), 2 (AF_INET) or 10 (AF_INET6)");
  }
  spec.family = static_cast<uint8_t>(family_number);
  spec.states = states.As<Napi::Number>().Uint32Value();
  if (count >= 3 && !parts.Get(2u).IsUndefined() && !parts.Get(2u).IsNull()) {
    Napi::Value code = parts.Get(2u);
    if (!code.IsBuffer()) throw Napi::TypeError::New(env, usage);
    Napi::Buffer<uint8_t> bytes = code.As<Napi::Buffer<uint8_t>>();
    if (bytes.Length() == 0 || bytes.Length() > kMaxBytecode || bytes.Length() % 4 != 0) {
      throw Napi::RangeError::New(env, "inet_diag dump: bytecode must be 4 to 4096 bytes, a multiple of 4");
    }
    spec.bytecode.assign(bytes.Data(), bytes.Data() + bytes.Length());
  }
  return spec;
}

Napi::Value InetDiagDump(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "inetDiagDump(family, statesMask[, bytecode]): numbers (and a Buffer) expected";
  Napi::Array parts = Napi::Array::New(env, info.Length());
  for (size_t i = 0; i < info.Length(); i++) parts.Set(static_cast<uint32_t>(i), info[i]);
  const DumpSpec spec = DumpSpecArgument(env, parts, usage);
  ReplyBuffer replies;
  try {
    RunDump(spec, replies, nullptr);
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  } catch (const std::bad_alloc&) {
    throw SystemError(env, ENOMEM, "malloc");
  }
  return ToBuffer(env, replies);
}

}  // namespace sockdoc
