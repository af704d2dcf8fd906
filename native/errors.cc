// Node-style system errors. libuv's names and messages are used so the text
// matches what Node prints for the same errno (uv error codes are -errno).
#include "errors.h"

#include <uv.h>

#include <string>

namespace sockdoc {

Napi::Error SystemError(Napi::Env env, int err, const char* syscall) {
  const char* code = uv_err_name(-err);
  std::string message = std::string(code) + ": " + uv_strerror(-err) + ", " + syscall;
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object obj = error.Value();
  obj.Set("errno", Napi::Number::New(env, -err));
  obj.Set("code", Napi::String::New(env, code));
  obj.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

}  // namespace sockdoc
