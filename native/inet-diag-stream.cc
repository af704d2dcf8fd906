// new InetDiagStream(dumps, lanes): several sock_diag dumps at once, their
// replies handed to JavaScript in chunks while the kernel is still filling
// the rest. The kernel does a dump's work in the thread that receives it, so
// with one thread per lane the dumps use every core, and JavaScript decodes
// the first chunks while later ones are being made instead of after.
// next(index) waits on the JavaScript thread; nextAsync(index) waits on a
// libuv pool thread and returns a Promise, so a server stays responsive.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <memory>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "addon.h"
#include "bpf-tcp-iter.h"
#include "netns.h"
#include "errors.h"
#include "inet-diag-dump.h"
#include "promise-worker.h"

namespace sockdoc {
namespace {

// Big enough that a chunk's JavaScript overhead is nothing next to its
// ~4,500 sockets, small enough that decoding starts a few ms into the dump.
constexpr size_t kChunkBytes = 512 * 1024;
constexpr uint32_t kMaxLanes = 16;
constexpr uint32_t kMaxDumps = 64;

struct Chunk {
  char* data;
  size_t length;
};

struct StreamDump {
  DumpSpec spec;
  // The dump's tally (spec.tally points at it), read once the dump is done.
  std::unique_ptr<StateTally> tally;
  uint32_t lane = 0;
  std::deque<Chunk> chunks;
  bool done = false;
  int err = 0;
  const char* syscall = nullptr;
};

}  // namespace

// The dumps, their lanes and the chunks not yet taken. Lane threads only
// touch a dump's queue and flags under the mutex; Close() stops and joins
// them, so none outlives the stream.
class DiagStream {
 public:
  DiagStream(std::vector<StreamDump> dumps, uint32_t lanes) : dumps_(std::move(dumps)), waiting_(dumps_.size()) {
    threads_.reserve(lanes);
    try {
      for (uint32_t lane = 0; lane < lanes; lane++) threads_.emplace_back(&DiagStream::RunLane, this, lane);
    } catch (const std::system_error&) {
      // The destructor will not run: stop the lanes started and free their chunks here.
      Close();
      FreeChunks();
      throw SyscallFailure{EAGAIN, "pthread_create"};
    }
  }
  ~DiagStream() {
    Close();
    FreeChunks();
  }
  DiagStream(const DiagStream&) = delete;
  DiagStream& operator=(const DiagStream&) = delete;

  size_t Size() const { return dumps_.size(); }

  // Waits for dump index's next chunk. True with *chunk (now the caller's);
  // false at its end, with *err set (and *syscall) when it ended in error.
  bool Next(size_t index, Chunk* chunk, int* err, const char** syscall) {
    std::unique_lock<std::mutex> lock(mutex_);
    StreamDump& dump = dumps_[index];
    ready_.wait(lock, [&] { return !dump.chunks.empty() || dump.done; });
    if (!dump.chunks.empty()) {
      *chunk = dump.chunks.front();
      dump.chunks.pop_front();
      return true;
    }
    *err = dump.err;
    *syscall = dump.syscall;
    return false;
  }

  // Next() without the wait: false when dump index has neither a chunk nor
  // its end yet. Lets nextAsync() answer at once without a pool thread.
  bool Ready(size_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    const StreamDump& dump = dumps_[index];
    return !dump.chunks.empty() || dump.done;
  }

  // The dump's tally once it is done; false while it runs or when it has none.
  bool Tally(size_t index, std::vector<uint32_t>* words) {
    std::lock_guard<std::mutex> lock(mutex_);
    const StreamDump& dump = dumps_[index];
    if (!dump.done || !dump.tally) return false;
    *words = dump.tally->Serialize();
    return true;
  }

  // Whether a nextAsync() worker waits on dump index. Only the JavaScript
  // thread reads or sets it: a second reader of the same dump would race the
  // first for its chunks, so it is refused instead.
  bool Waiting(size_t index) const { return waiting_[index]; }
  void SetWaiting(size_t index, bool waiting) { waiting_[index] = waiting; }

  // Stops the lanes after their current receive and waits for them. Every
  // dump is then done (ECANCELED where it was cut), so a Next() waiting on
  // another thread wakes up; the chunks stay until the last owner lets go.
  void Close() {
    cancelled_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  void FreeChunks() {
    for (StreamDump& dump : dumps_) {
      for (Chunk& chunk : dump.chunks) free(chunk.data);
      dump.chunks.clear();
    }
  }

  void Push(size_t index, ReplyBuffer& replies) {
    if (replies.Length() == 0) return;
    const size_t length = replies.Length();
    Chunk chunk{replies.Release(), length};
    std::lock_guard<std::mutex> lock(mutex_);
    dumps_[index].chunks.push_back(chunk);
    ready_.notify_all();
  }

  void Finish(size_t index, int err, const char* syscall) {
    std::lock_guard<std::mutex> lock(mutex_);
    dumps_[index].done = true;
    dumps_[index].err = err;
    dumps_[index].syscall = syscall;
    ready_.notify_all();
  }

  // A lane runs its dumps one after another, in the order they were given.
  void RunLane(uint32_t lane) {
    for (size_t index = 0; index < dumps_.size(); index++) {
      if (dumps_[index].lane != lane) continue;
      int err = 0;
      const char* syscall = nullptr;
      if (cancelled_) {
        err = ECANCELED;
        syscall = "inet_diag dump";
      } else {
        try {
          ReplyBuffer replies;
          RunDump(dumps_[index].spec, replies, [&](ReplyBuffer& r) {
            if (cancelled_) return false;
            if (r.Length() >= kChunkBytes) Push(index, r);
            return true;
          });
          Push(index, replies);
          // Stopped by close(): not a whole dump, whatever was received.
          if (cancelled_) {
            err = ECANCELED;
            syscall = "inet_diag dump";
          }
        } catch (const SyscallFailure& failure) {
          err = failure.err;
          syscall = failure.syscall;
        } catch (const std::bad_alloc&) {
          err = ENOMEM;
          syscall = "malloc";
        }
      }
      Finish(index, err, syscall);
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<StreamDump> dumps_;
  std::vector<std::thread> threads_;
  std::vector<bool> waiting_;
  std::atomic<bool> cancelled_{false};
};

InetDiagStreamWrap::InetDiagStreamWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<InetDiagStreamWrap>(info) {
  Napi::Env env = info.Env();
  const char* usage =
      "new InetDiagStream(dumps, lanes[, netnsPath[, iterators]]): dumps is an array of "
      "[family, statesMask(, bytecode(, tallyStates, tallyDetail(, keepLow, keepHigh)))], "
      "lanes an array with each dump's lane number, netnsPath a network namespace to dump, "
      "iterators an array with each dump's BpfTcpIter or undefined (netlink)";
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsArray()) throw Napi::TypeError::New(env, usage);
  Napi::Array specs = info[0].As<Napi::Array>();
  Napi::Array lanes = info[1].As<Napi::Array>();
  if (specs.Length() != lanes.Length()) throw Napi::TypeError::New(env, usage);
  if (specs.Length() > kMaxDumps) throw Napi::RangeError::New(env, "InetDiagStream: at most 64 dumps");
  std::vector<StreamDump> dumps(specs.Length());
  const std::string netns = NetnsArgument(env, info[2], "InetDiagStream");
  const bool iterators = info.Length() >= 4 && !info[3].IsUndefined();
  if (iterators && (!info[3].IsArray() || info[3].As<Napi::Array>().Length() != specs.Length())) {
    throw Napi::TypeError::New(env, usage);
  }
  uint32_t lane_count = 0;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    dumps[i].spec = DumpSpecArgument(env, specs.Get(i), usage);
    dumps[i].spec.netns = netns;
    if (iterators) {
      Napi::Value iterator = info[3].As<Napi::Array>().Get(i);
      if (!iterator.IsUndefined()) {
        if (!dumps[i].spec.bytecode.empty()) {
          throw Napi::TypeError::New(env, "InetDiagStream: a dump read by a BpfTcpIter takes no bytecode");
        }
        dumps[i].spec.iter = TcpIterArgument(env, iterator);
      }
    }
    Napi::Array parts = specs.Get(i).As<Napi::Array>();
    if (parts.Length() >= 4) {
      Napi::Value tally_states = parts.Get(3u);
      if (!tally_states.IsNumber()) throw Napi::TypeError::New(env, usage);
      const uint32_t states = tally_states.As<Napi::Number>().Uint32Value();
      if (states != 0) {
        dumps[i].tally = std::make_unique<StateTally>(states, parts.Get(4u).ToBoolean().Value());
        dumps[i].spec.tally = dumps[i].tally.get();
        if (parts.Length() >= 7) {
          Napi::Value low = parts.Get(5u);
          Napi::Value high = parts.Get(6u);
          if (!low.IsNumber() || !high.IsNumber()) throw Napi::TypeError::New(env, usage);
          const uint32_t lo = low.As<Napi::Number>().Uint32Value();
          const uint32_t hi = high.As<Napi::Number>().Uint32Value();
          if (lo > 65535 || hi > 65535) throw Napi::RangeError::New(env, "InetDiagStream: ports are 0 to 65535");
          dumps[i].tally->KeepLocalPorts(static_cast<uint16_t>(lo), static_cast<uint16_t>(hi));
        }
      }
    }
    Napi::Value lane = lanes.Get(i);
    if (!lane.IsNumber()) throw Napi::TypeError::New(env, usage);
    const int64_t number = lane.As<Napi::Number>().Int64Value();
    if (number < 0 || number >= kMaxLanes) throw Napi::RangeError::New(env, "InetDiagStream: lanes are 0 to 15");
    dumps[i].lane = static_cast<uint32_t>(number);
    if (dumps[i].lane + 1 > lane_count) lane_count = dumps[i].lane + 1;
  }
  try {
    stream_ = std::make_shared<DiagStream>(std::move(dumps), lane_count);
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

// A nextAsync() still waiting holds the stream too: stop the lanes so it
// wakes, and let the last owner free the chunks.
InetDiagStreamWrap::~InetDiagStreamWrap() {
  if (stream_) stream_->Close();
}

Napi::Function InetDiagStreamWrap::Define(Napi::Env env) {
  return DefineClass(env, "InetDiagStream",
                     {InstanceMethod("next", &InetDiagStreamWrap::Next),
                      InstanceMethod("tally", &InetDiagStreamWrap::Tally),
                      InstanceMethod("nextAsync", &InetDiagStreamWrap::NextAsync),
                      InstanceMethod("close", &InetDiagStreamWrap::Close)});
}

namespace {

// A chunk as a Buffer that owns its bytes (freed by the Buffer's finalizer).
Napi::Value ChunkBuffer(Napi::Env env, Chunk chunk) {
  try {
    return Napi::Buffer<char>::New(env, chunk.data, chunk.length, [](Napi::Env, char* owned) { free(owned); });
  } catch (...) {
    free(chunk.data);
    throw;
  }
}

// Waits for one chunk on a pool thread. It shares the stream, so close() or
// garbage collection of the JavaScript object cannot free it under the wait;
// close() ends the wait (the dump is then done with ECANCELED).
class NextWorker : public PromiseWorker {
 public:
  NextWorker(Napi::Env env, std::shared_ptr<DiagStream> stream, size_t index)
      : PromiseWorker(env, "sockdoc:InetDiagStream.nextAsync"), stream_(std::move(stream)), index_(index) {
    stream_->SetWaiting(index_, true);
  }
  // Runs on the JavaScript thread once the Promise is settled.
  ~NextWorker() override {
    stream_->SetWaiting(index_, false);
    free(chunk_.data);  // a chunk never handed over (environment torn down)
  }

  void Work() override {
    if (!stream_->Next(index_, &chunk_, &err_, &syscall_)) chunk_ = Chunk{nullptr, 0};
  }

  Napi::Value Result(Napi::Env env) override {
    if (chunk_.data != nullptr) {
      const Chunk chunk = chunk_;
      chunk_ = Chunk{nullptr, 0};
      return ChunkBuffer(env, chunk);
    }
    if (err_) throw SystemError(env, err_, syscall_);
    return env.Null();
  }

 private:
  std::shared_ptr<DiagStream> stream_;
  size_t index_;
  Chunk chunk_{nullptr, 0};
  int err_ = 0;
  const char* syscall_ = nullptr;
};

}  // namespace

size_t InetDiagStreamWrap::IndexArgument(const Napi::CallbackInfo& info, const char* name) {
  Napi::Env env = info.Env();
  if (!stream_) throw Napi::Error::New(env, std::string("InetDiagStream: ") + name + "() after close()");
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, std::string(name) + "(index): a number expected");
  }
  const int64_t index = info[0].As<Napi::Number>().Int64Value();
  if (index < 0 || static_cast<size_t>(index) >= stream_->Size()) {
    throw Napi::RangeError::New(env, std::string(name) + "(index): no such dump");
  }
  if (stream_->Waiting(static_cast<size_t>(index))) {
    throw Napi::Error::New(env, std::string(name) + "(index): a nextAsync() of this dump is still pending");
  }
  return static_cast<size_t>(index);
}

// next(index): the dump's next chunk as a Buffer that owns its bytes, or null
// at its end; throws a Node-style system error if the dump failed.
Napi::Value InetDiagStreamWrap::Next(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t index = IndexArgument(info, "next");
  Chunk chunk{nullptr, 0};
  int err = 0;
  const char* syscall = nullptr;
  if (stream_->Next(index, &chunk, &err, &syscall)) return ChunkBuffer(env, chunk);
  if (err) throw SystemError(env, err, syscall);
  return env.Null();
}

// nextAsync(index): a Promise of what next(index) returns (or throws). A
// chunk already made settles it at once; otherwise a pool thread waits.
Napi::Value InetDiagStreamWrap::NextAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t index = IndexArgument(info, "nextAsync");
  if (stream_->Ready(index)) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    try {
      deferred.Resolve(Next(info));
    } catch (const Napi::Error& error) {
      deferred.Reject(error.Value());
    }
    return deferred.Promise();
  }
  auto* worker = new NextWorker(env, stream_, index);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// tally(index): the dump's tally (see state-tally.h) as a Uint32Array once
// the dump is done (after next() or nextAsync() gave null); null when the dump
// has none or is not done.
Napi::Value InetDiagStreamWrap::Tally(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t index = IndexArgument(info, "tally");
  std::vector<uint32_t> words;
  if (!stream_->Tally(index, &words)) return env.Null();
  Napi::Uint32Array out = Napi::Uint32Array::New(env, words.size());
  if (!words.empty()) memcpy(out.Data(), words.data(), words.size() * sizeof(uint32_t));
  return out;
}

// close(): stops the dumps still running and frees what was not taken.
// A pending nextAsync() then settles: with a chunk made before, or rejected
// with ECANCELED.
Napi::Value InetDiagStreamWrap::Close(const Napi::CallbackInfo& info) {
  if (stream_) stream_->Close();
  stream_.reset();
  return info.Env().Undefined();
}

}  // namespace sockdoc
