// Entry point of sockdoc.node: registers the exported functions.
#include "addon.h"
#include "netns.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("inetDiagDump", Napi::Function::New(env, sockdoc::InetDiagDump, "inetDiagDump"));
  exports.Set("InetDiagStream", sockdoc::InetDiagStreamWrap::Define(env));
  exports.Set("inetDiagDestroy", Napi::Function::New(env, sockdoc::InetDiagDestroy, "inetDiagDestroy"));
  exports.Set("scanSocketFds", Napi::Function::New(env, sockdoc::ScanSocketFds, "scanSocketFds"));
  exports.Set("scanSocketFdsAsync", Napi::Function::New(env, sockdoc::ScanSocketFdsAsync, "scanSocketFdsAsync"));
  exports.Set("inetDiagDestroyBatchAsync",
              Napi::Function::New(env, sockdoc::InetDiagDestroyBatchAsync, "inetDiagDestroyBatchAsync"));
  exports.Set("readFilesInNetns", Napi::Function::New(env, sockdoc::ReadFilesInNetns, "readFilesInNetns"));
  exports.Set("BpfStateTracer", sockdoc::BpfStateTracerWrap::Define(env));
  exports.Set("BpfSocketFdIter", sockdoc::BpfSocketFdIterWrap::Define(env));
  exports.Set("BpfTcpIter", sockdoc::BpfTcpIterWrap::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(sockdoc, Init)
