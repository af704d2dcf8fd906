// The functions the addon exports (typed for TypeScript in src/sources/native.ts).
#ifndef SOCKDOC_ADDON_H
#define SOCKDOC_ADDON_H

#include <napi.h>

#include <memory>

namespace sockdoc {

Napi::Value InetDiagDump(const Napi::CallbackInfo& info);
Napi::Value InetDiagDestroy(const Napi::CallbackInfo& info);
Napi::Value ScanSocketFds(const Napi::CallbackInfo& info);
Napi::Value ScanSocketFdsAsync(const Napi::CallbackInfo& info);
Napi::Value InetDiagDestroyBatchAsync(const Napi::CallbackInfo& info);

class DiagStream;

// The JavaScript class InetDiagStream (see inet-diag-stream.cc).
class InetDiagStreamWrap : public Napi::ObjectWrap<InetDiagStreamWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit InetDiagStreamWrap(const Napi::CallbackInfo& info);
  ~InetDiagStreamWrap() override;

 private:
  Napi::Value Next(const Napi::CallbackInfo& info);
  Napi::Value NextAsync(const Napi::CallbackInfo& info);
  Napi::Value Tally(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  size_t IndexArgument(const Napi::CallbackInfo& info, const char* name);
  // Shared with the nextAsync() workers still waiting; null after close().
  std::shared_ptr<DiagStream> stream_;
};

class StateTracer;

// The JavaScript class BpfStateTracer (see bpf-state-tracer.cc).
class BpfStateTracerWrap : public Napi::ObjectWrap<BpfStateTracerWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit BpfStateTracerWrap(const Napi::CallbackInfo& info);
  ~BpfStateTracerWrap() override;

 private:
  Napi::Value NextAsync(const Napi::CallbackInfo& info);
  Napi::Value Lost(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // Shared with a nextAsync() worker still waiting; null after close().
  std::shared_ptr<StateTracer> tracer_;
  double lost_at_close_ = 0;
};

class SocketFdIter;

// The JavaScript class BpfSocketFdIter (see bpf-fd-iter.cc).
class BpfSocketFdIterWrap : public Napi::ObjectWrap<BpfSocketFdIterWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit BpfSocketFdIterWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Scan(const Napi::CallbackInfo& info);
  Napi::Value ScanAsync(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  std::shared_ptr<SocketFdIter> Open(Napi::Env env) const;
  // Shared with a scanAsync() still running; null after close().
  std::shared_ptr<SocketFdIter> iter_;
};

class TcpIter;

// The JavaScript class BpfTcpIter (see bpf-tcp-iter.cc).
class BpfTcpIterWrap : public Napi::ObjectWrap<BpfTcpIterWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit BpfTcpIterWrap(const Napi::CallbackInfo& info);

 private:
  friend std::shared_ptr<const TcpIter> TcpIterArgument(Napi::Env env, const Napi::Value& value);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // Shared with the streams reading through it; null after close().
  std::shared_ptr<const TcpIter> iter_;
};

}  // namespace sockdoc

#endif
