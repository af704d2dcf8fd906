// A struct offset passed from TypeScript (found in the kernel's BTF), checked
// before a BPF program is assembled with it: the BPF classes take their
// offsets as plain objects of numbers.
#ifndef SOCKDOC_OFFSET_ARGUMENT_H
#define SOCKDOC_OFFSET_ARGUMENT_H

#include <napi.h>
#include <stdint.h>

#include <string>

namespace sockdoc {

// from[name] as a byte offset; -1 when it is absent and optional. Throws a
// TypeError or RangeError naming owner ("BpfStateTracer: offsets.family ...").
inline int32_t OffsetField(Napi::Env env, const Napi::Object& from, const char* name, bool optional,
                           const char* owner) {
  const Napi::Value value = from.Get(name);
  if (value.IsUndefined() && optional) return -1;
  const std::string what = std::string(owner) + ": offsets." + name;
  if (!value.IsNumber()) throw Napi::TypeError::New(env, what + " must be a number");
  const int64_t n = value.As<Napi::Number>().Int64Value();
  if (n < -1 || n > 1 << 20) throw Napi::RangeError::New(env, what + " out of range");
  return static_cast<int32_t>(n);
}

}  // namespace sockdoc

#endif
