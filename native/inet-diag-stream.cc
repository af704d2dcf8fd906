// new InetDiagStream(dumps, lanes): several sock_diag dumps at once, their
// replies handed to JavaScript in chunks while the kernel is still filling
// the rest. The kernel does a dump's work in the thread that receives it, so
// with one thread per lane the dumps use every core, and JavaScript decodes
// the first chunks while later ones are being made instead of after.
#include <errno.h>
#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include "addon.h"
#include "errors.h"
#include "inet-diag-dump.h"

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
  DiagStream(std::vector<StreamDump> dumps, uint32_t lanes) : dumps_(std::move(dumps)) {
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

  // Stops the lanes after their current receive and waits for them.
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
  std::atomic<bool> cancelled_{false};
};

InetDiagStreamWrap::InetDiagStreamWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<InetDiagStreamWrap>(info) {
  Napi::Env env = info.Env();
  const char* usage =
      "new InetDiagStream(dumps, lanes): dumps is an array of [family, statesMask(, bytecode)], "
      "lanes an array with each dump's lane number";
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsArray()) throw Napi::TypeError::New(env, usage);
  Napi::Array specs = info[0].As<Napi::Array>();
  Napi::Array lanes = info[1].As<Napi::Array>();
  if (specs.Length() != lanes.Length()) throw Napi::TypeError::New(env, usage);
  if (specs.Length() > kMaxDumps) throw Napi::RangeError::New(env, "InetDiagStream: at most 64 dumps");
  std::vector<StreamDump> dumps(specs.Length());
  uint32_t lane_count = 0;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    dumps[i].spec = DumpSpecArgument(env, specs.Get(i), usage);
    Napi::Value lane = lanes.Get(i);
    if (!lane.IsNumber()) throw Napi::TypeError::New(env, usage);
    const int64_t number = lane.As<Napi::Number>().Int64Value();
    if (number < 0 || number >= kMaxLanes) throw Napi::RangeError::New(env, "InetDiagStream: lanes are 0 to 15");
    dumps[i].lane = static_cast<uint32_t>(number);
    if (dumps[i].lane + 1 > lane_count) lane_count = dumps[i].lane + 1;
  }
  try {
    stream_ = new DiagStream(std::move(dumps), lane_count);
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

InetDiagStreamWrap::~InetDiagStreamWrap() { delete stream_; }

Napi::Function InetDiagStreamWrap::Define(Napi::Env env) {
  return DefineClass(env, "InetDiagStream",
                     {InstanceMethod("next", &InetDiagStreamWrap::Next),
                      InstanceMethod("close", &InetDiagStreamWrap::Close)});
}

// next(index): the dump's next chunk as a Buffer that owns its bytes, or null
// at its end; throws a Node-style system error if the dump failed.
Napi::Value InetDiagStreamWrap::Next(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (stream_ == nullptr) throw Napi::Error::New(env, "InetDiagStream: next() after close()");
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "next(index): a number expected");
  const int64_t index = info[0].As<Napi::Number>().Int64Value();
  if (index < 0 || static_cast<size_t>(index) >= stream_->Size()) {
    throw Napi::RangeError::New(env, "next(index): no such dump");
  }
  Chunk chunk{nullptr, 0};
  int err = 0;
  const char* syscall = nullptr;
  if (stream_->Next(static_cast<size_t>(index), &chunk, &err, &syscall)) {
    try {
      return Napi::Buffer<char>::New(env, chunk.data, chunk.length, [](Napi::Env, char* owned) { free(owned); });
    } catch (...) {
      free(chunk.data);
      throw;
    }
  }
  if (err) throw SystemError(env, err, syscall);
  return env.Null();
}

// close(): stops the dumps still running and frees what was not taken.
Napi::Value InetDiagStreamWrap::Close(const Napi::CallbackInfo& info) {
  delete stream_;
  stream_ = nullptr;
  return info.Env().Undefined();
}

}  // namespace sockdoc
