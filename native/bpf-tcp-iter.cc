// new BpfTcpIter(offsets, btfId, hz): loads the tcp iterator program
// (bpf-tcp-program.h) for the kernel's bpf_iter_tcp and links it. It has no
// method of its own but close(): an InetDiagStream dump given it reads its
// sockets through it (TcpIter::Run) on the stream's lane thread. The program
// and link are fds of this process only: they go on close(), on exit, on a
// crash.
#include "bpf-tcp-iter.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "addon.h"
#include "bpf-iter-read.h"
#include "bpf-syscall.h"
#include "errors.h"
#include "netns.h"
#include "offset-argument.h"

namespace sockdoc {

namespace {

constexpr char kName[] = "BpfTcpIter";
constexpr size_t kReadBytes = 64 * 1024;
constexpr uint32_t kNewSynRecv = 12;
// Marks a JavaScript object as a BpfTcpIter, so a stream can trust what it unwraps.
constexpr napi_type_tag kTag = {0x736f636b646f6354ull, 0x6370497465723031ull};

}  // namespace

TcpIter::TcpIter(const TcpOffsets& offsets, uint32_t btf_id, uint32_t hz, std::string* verifier_log)
    : prog_(BpfProgLoad(BPF_PROG_TYPE_TRACING, TcpEndpointProgram(offsets), "sockdoc_tcp", verifier_log,
                        ProgTarget{BPF_TRACE_ITER, btf_id})),
      link_(BpfIterLinkCreate(prog_.get())),
      hz_(hz) {}

// As the kernel's jiffies_to_msecs: exact when HZ divides 1000, else rounded up.
uint32_t TcpIter::Milliseconds(uint32_t jiffies) const {
  const uint64_t ms = (static_cast<uint64_t>(jiffies) * 1000 + hz_ - 1) / hz_;
  return ms > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(ms);
}

void TcpIter::Run(const DumpSpec& spec, ReplyBuffer& replies,
                  const std::function<bool(ReplyBuffer&)>& after_receive) const {
  int raw = -1;
  int err = 0;
  // The iterator walks the namespace of the thread that makes it. Nothing
  // may throw inside InNetns (it must come back first): the error is kept.
  InNetns(spec.netns, [&] {
    try {
      raw = BpfIterCreate(link_.get());
    } catch (const SyscallFailure& failure) {
      err = failure.err;
    }
  });
  if (raw < 0) throw SyscallFailure{err ? err : EIO, "bpf(BPF_ITER_CREATE)"};
  Fd iter(raw);
  ReadIteratorRecords(iter.get(), kTcpRecordBytes, kReadBytes, "read(bpf tcp iterator)", [&](char* messages,
                                                                                            size_t bytes) {
    replies.Reserve(bytes);
    char* out = replies.Tail();
    size_t kept = 0;
    for (size_t at = 0; at < bytes; at += kTcpRecordBytes) {
      char* message = messages + at;
      auto* socket = reinterpret_cast<struct inet_diag_msg*>(message + NLMSG_HDRLEN);
      // The dump's state filter: a request socket counts as SYN_RECV (and is
      // reported so), a TIME_WAIT socket by its substate.
      const uint32_t state = socket->idiag_state;
      const uint32_t bits = state == kNewSynRecv ? (1u << kNewSynRecv) | (1u << TCP_SYN_RECV)
                            : state < 32         ? 1u << state
                                                 : 0;
      if ((spec.states & bits) == 0) continue;
      if (spec.family != AF_UNSPEC && socket->idiag_family != spec.family) continue;
      if (state == kNewSynRecv) socket->idiag_state = TCP_SYN_RECV;
      if (socket->idiag_timer != 0) socket->idiag_expires = Milliseconds(socket->idiag_expires);
      if (spec.tally && !spec.tally->TakeOrKeep(socket)) continue;
      memcpy(out + kept, message, kTcpRecordBytes);
      kept += kTcpRecordBytes;
    }
    replies.SetLength(replies.Length() + kept);
    return !after_receive || after_receive(replies);
  });
}

BpfTcpIterWrap::BpfTcpIterWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BpfTcpIterWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsObject() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "BpfTcpIter(offsets, btfId, hz): an object and two numbers expected");
  }
  const Napi::Object o = info[0].As<Napi::Object>();
  auto field = [&](const char* name) { return OffsetField(env, o, name, false, kName); };
  const TcpOffsets offsets{field("ctxMeta"),    field("ctxSkCommon"), field("ctxUid"),     field("metaSeq"),
                           field("family"),     field("state"),       field("num"),        field("dport"),
                           field("rcvSaddr"),   field("daddr"),       field("v6RcvSaddr"), field("v6Daddr"),
                           field("boundDevIf"), field("twSubstate"),  field("twExpires"),  field("reqRetrans"),
                           field("reqExpires")};
  // The program's loads take a 16-bit offset (the IPv6 addresses two words further).
  for (int32_t offset : {offsets.ctx_meta, offsets.ctx_sk_common, offsets.ctx_uid, offsets.meta_seq, offsets.family,
                         offsets.state, offsets.num, offsets.dport, offsets.rcv_saddr, offsets.daddr,
                         offsets.v6_rcv_saddr + 8, offsets.v6_daddr + 8, offsets.bound_dev_if, offsets.tw_substate,
                         offsets.tw_expires, offsets.req_retrans, offsets.req_expires}) {
    if (offset < 0 || offset > INT16_MAX) throw Napi::RangeError::New(env, "BpfTcpIter: an offset is out of range");
  }
  const int64_t btf_id = info[1].As<Napi::Number>().Int64Value();
  if (btf_id <= 0 || btf_id > UINT32_MAX) throw Napi::RangeError::New(env, "BpfTcpIter: btfId out of range");
  const int64_t hz = info[2].As<Napi::Number>().Int64Value();
  if (hz < 1 || hz > 100000) throw Napi::RangeError::New(env, "BpfTcpIter: hz out of range");
  std::string verifier_log;
  try {
    iter_ = std::make_shared<TcpIter>(offsets, static_cast<uint32_t>(btf_id), static_cast<uint32_t>(hz),
                                      &verifier_log);
  } catch (const SyscallFailure& failure) {
    Napi::Error error = SystemError(env, failure.err, failure.syscall);
    if (!verifier_log.empty()) error.Value().Set("verifierLog", Napi::String::New(env, verifier_log));
    throw error;
  }
  info.This().As<Napi::Object>().TypeTag(&kTag);
}

Napi::Function BpfTcpIterWrap::Define(Napi::Env env) {
  return DefineClass(env, kName, {InstanceMethod("close", &BpfTcpIterWrap::Close)});
}

// close(): unloads the program once no dump uses it.
Napi::Value BpfTcpIterWrap::Close(const Napi::CallbackInfo& info) {
  iter_.reset();
  return info.Env().Undefined();
}

std::shared_ptr<const TcpIter> TcpIterArgument(Napi::Env env, const Napi::Value& value) {
  if (!value.IsObject() || !value.As<Napi::Object>().CheckTypeTag(&kTag)) {
    throw Napi::TypeError::New(env, "a BpfTcpIter expected");
  }
  BpfTcpIterWrap* wrap = BpfTcpIterWrap::Unwrap(value.As<Napi::Object>());
  if (!wrap->iter_) throw Napi::Error::New(env, "BpfTcpIter: closed");
  return wrap->iter_;
}

}  // namespace sockdoc
