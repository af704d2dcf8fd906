// new BpfStateTracer(offsets, filter): loads the state-change program (see
// bpf-state-program.h), attaches it to sock:inet_sock_set_state with
// BPF_RAW_TRACEPOINT_OPEN, and reads its ring buffer on a thread of its own
// (epoll on the ring's fd). nextAsync() hands JavaScript the events taken
// since the last call as one Buffer of 72-byte records. The program, maps
// and link are fds of this process only: they go on close(), on exit, on a
// crash; nothing is pinned.
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "addon.h"
#include "bpf-ring.h"
#include "bpf-state-program.h"
#include "bpf-syscall.h"
#include "errors.h"
#include "fd.h"
#include "offset-argument.h"
#include "promise-worker.h"

namespace sockdoc {

namespace {

constexpr char kName[] = "BpfStateTracer";
constexpr size_t kRingBytes = 4 * 1024 * 1024;       // ~58,000 events before the kernel drops any
constexpr size_t kPendingCap = 64 * 1024 * 1024;     // events JavaScript has not taken yet, at most
constexpr auto kBatchPause = std::chrono::milliseconds(5);  // lets a batch gather: ≤ 200 wakeups a second

}  // namespace

// The kernel objects and the reader thread. Shared with a waiting
// nextAsync() worker, so close() or garbage collection cannot free it under the wait.
class StateTracer {
 public:
  // A verifier refusal leaves the verifier's reason in *verifier_log.
  StateTracer(const SockOffsets& offsets, const StateFilter& filter, std::string* verifier_log)
      : ring_(BpfMapCreate(BPF_MAP_TYPE_RINGBUF, 0, 0, kRingBytes, "sockdoc_events")),
        lost_(BpfMapCreate(BPF_MAP_TYPE_ARRAY, 4, 8, 1, "sockdoc_lost")),
        wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
        epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (wake_.get() < 0) throw SyscallFailure{errno, "eventfd"};
    if (epoll_.get() < 0) throw SyscallFailure{errno, "epoll_create1"};
    prog_ = std::make_unique<Fd>(BpfProgLoad(BPF_PROG_TYPE_RAW_TRACEPOINT,
                                             StateProgram(offsets, filter, ring_.get(), lost_.get()),
                                             "sockdoc_tcpst", verifier_log));
    reader_ring_ = std::make_unique<BpfRing>(ring_.get(), kRingBytes);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = 0;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, ring_.get(), &ev) < 0) throw SyscallFailure{errno, "epoll_ctl"};
    ev.data.u32 = 1;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev) < 0) throw SyscallFailure{errno, "epoll_ctl"};
    link_ = std::make_unique<Fd>(BpfRawTracepointOpen("inet_sock_set_state", prog_->get()));
    try {
      thread_ = std::thread(&StateTracer::Read, this);
    } catch (const std::system_error&) {
      throw SyscallFailure{EAGAIN, "pthread_create"};
    }
  }
  ~StateTracer() { Close(); }
  StateTracer(const StateTracer&) = delete;
  StateTracer& operator=(const StateTracer&) = delete;

  // Waits for events (or close); the caller takes them all. False once closed and empty.
  bool Next(std::vector<uint8_t>* out) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !pending_.empty() || closed_; });
    if (pending_.empty()) return false;
    out->swap(pending_);
    pending_.clear();
    return true;
  }
  bool Ready() {
    std::lock_guard<std::mutex> lock(mutex_);
    return !pending_.empty() || closed_;
  }

  // Dropped with the ring full, plus runs skipped as nested on one CPU.
  uint64_t KernelLost() const {
    return link_ ? BpfArrayCounter(lost_.get()) + BpfProgRecursionMisses(prog_->get()) : lost_at_close_;
  }

  // Detaches the program first (no more events), then stops the reader.
  void Close() {
    if (link_) {
      try {
        lost_at_close_ = KernelLost();
      } catch (const SyscallFailure&) {
      }
      link_.reset();
    }
    stopping_ = true;
    const uint64_t one = 1;
    if (write(wake_.get(), &one, sizeof(one)) < 0) {
      // The eventfd cannot be full here; the reader also wakes on its timeout.
    }
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }

  bool Waiting() const { return waiting_; }
  void SetWaiting(bool waiting) { waiting_ = waiting; }

 private:
  void Read() {
    epoll_event events[2];
    while (!stopping_) {
      const int n = epoll_wait(epoll_.get(), events, 2, 1000);
      if (n < 0 && errno != EINTR) break;
      if (stopping_) break;
      size_t taken = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        taken = reader_ring_->Drain([&](const uint8_t* data, uint32_t length) {
          if (pending_.size() >= kPendingCap) return false;  // left in the ring: the kernel counts what it then drops
          pending_.insert(pending_.end(), data, data + length);
          return true;
        });
        if (taken > 0) ready_.notify_all();
      }
      if (taken > 0) std::this_thread::sleep_for(kBatchPause);
    }
  }

  Fd ring_;
  Fd lost_;
  Fd wake_;
  Fd epoll_;
  std::unique_ptr<Fd> prog_;
  std::unique_ptr<Fd> link_;
  std::unique_ptr<BpfRing> reader_ring_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<uint8_t> pending_;
  bool closed_ = false;
  bool waiting_ = false;  // JavaScript thread only
  uint64_t lost_at_close_ = 0;
};

namespace {

Napi::Value EventsBuffer(Napi::Env env, std::vector<uint8_t>& events) {
  return Napi::Buffer<uint8_t>::Copy(env, events.data(), events.size());
}

class NextWorker : public PromiseWorker {
 public:
  NextWorker(Napi::Env env, std::shared_ptr<StateTracer> tracer)
      : PromiseWorker(env, "sockdoc:BpfStateTracer.nextAsync"), tracer_(std::move(tracer)) {
    tracer_->SetWaiting(true);
  }
  ~NextWorker() override { tracer_->SetWaiting(false); }
  void Work() override { got_ = tracer_->Next(&events_); }
  Napi::Value Result(Napi::Env env) override { return got_ ? EventsBuffer(env, events_) : env.Null(); }

 private:
  std::shared_ptr<StateTracer> tracer_;
  std::vector<uint8_t> events_;
  bool got_ = false;
};

}  // namespace

BpfStateTracerWrap::BpfStateTracerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BpfStateTracerWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "BpfStateTracer(offsets, filter): two objects expected");
  }
  const Napi::Object o = info[0].As<Napi::Object>();
  SockOffsets offsets{OffsetField(env, o, "family", false, kName),      OffsetField(env, o, "sport", false, kName),
                      OffsetField(env, o, "dport", false, kName),       OffsetField(env, o, "rcvSaddr", false, kName),
                      OffsetField(env, o, "daddr", false, kName),       OffsetField(env, o, "v6RcvSaddr", true, kName),
                      OffsetField(env, o, "v6Daddr", true, kName),      OffsetField(env, o, "net", false, kName),
                      OffsetField(env, o, "netInum", false, kName),     OffsetField(env, o, "protocol", false, kName),
                      OffsetField(env, o, "protocolSize", false, kName)};
  if (offsets.protocol_size != 1 && offsets.protocol_size != 2) {
    throw Napi::RangeError::New(env, "BpfStateTracer: offsets.protocolSize must be 1 or 2");
  }
  const Napi::Object f = info[1].As<Napi::Object>();
  const Napi::Value mask = f.Get("stateMask");
  const Napi::Value netns = f.Get("netnsInode");
  if (!mask.IsNumber() || !netns.IsNumber()) {
    throw Napi::TypeError::New(env, "BpfStateTracer: filter.stateMask and filter.netnsInode must be numbers");
  }
  StateFilter filter{static_cast<uint32_t>(mask.As<Napi::Number>().Int64Value()),
                     static_cast<uint32_t>(netns.As<Napi::Number>().Int64Value())};
  std::string verifier_log;
  try {
    tracer_ = std::make_shared<StateTracer>(offsets, filter, &verifier_log);
  } catch (const SyscallFailure& failure) {
    Napi::Error error = SystemError(env, failure.err, failure.syscall);
    if (!verifier_log.empty()) error.Value().Set("verifierLog", Napi::String::New(env, verifier_log));
    throw error;
  }
}

BpfStateTracerWrap::~BpfStateTracerWrap() {
  if (tracer_) tracer_->Close();
}

Napi::Function BpfStateTracerWrap::Define(Napi::Env env) {
  return DefineClass(env, "BpfStateTracer",
                     {InstanceMethod("nextAsync", &BpfStateTracerWrap::NextAsync),
                      InstanceMethod("lost", &BpfStateTracerWrap::Lost),
                      InstanceMethod("close", &BpfStateTracerWrap::Close)});
}

// nextAsync(): a Promise of a Buffer of whole events (72 bytes each) taken
// since the last call, waiting on a pool thread until there is one; null once closed.
Napi::Value BpfStateTracerWrap::NextAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!tracer_) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(env.Null());
    return deferred.Promise();
  }
  if (tracer_->Waiting()) throw Napi::Error::New(env, "nextAsync(): the previous call is still pending");
  auto* worker = new NextWorker(env, tracer_);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// lost(): events the kernel dropped (the ring was full) or skipped (the
// program was already running on that CPU).
Napi::Value BpfStateTracerWrap::Lost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!tracer_) return Napi::Number::New(env, static_cast<double>(lost_at_close_));
  try {
    return Napi::Number::New(env, static_cast<double>(tracer_->KernelLost()));
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

// close(): detaches the program and stops the reader; a pending nextAsync()
// settles with the events already taken, or null.
Napi::Value BpfStateTracerWrap::Close(const Napi::CallbackInfo& info) {
  if (tracer_) {
    tracer_->Close();
    lost_at_close_ = tracer_->KernelLost();
  }
  tracer_.reset();
  return info.Env().Undefined();
}

}  // namespace sockdoc
