// The functions the addon exports (typed for TypeScript in src/sources/native.ts).
#ifndef SOCKDOC_ADDON_H
#define SOCKDOC_ADDON_H

#include <napi.h>

namespace sockdoc {

Napi::Value InetDiagDump(const Napi::CallbackInfo& info);
Napi::Value InetDiagDumpMany(const Napi::CallbackInfo& info);
Napi::Value InetDiagDestroy(const Napi::CallbackInfo& info);
Napi::Value ScanSocketFds(const Napi::CallbackInfo& info);

}  // namespace sockdoc

#endif
