// Errors thrown to JavaScript, shaped like Node's own system errors
// ("EPERM: operation not permitted, socket" with code, errno, syscall),
// so callers handle addon failures exactly like fs or net failures.
#ifndef SOCKDOC_ERRORS_H
#define SOCKDOC_ERRORS_H

#include <napi.h>

namespace sockdoc {

// A Napi::Error for a failed system call; err is a positive errno value.
Napi::Error SystemError(Napi::Env env, int err, const char* syscall);

// Throwable wrapper used below the N-API layer, where no Env is at hand.
struct SyscallFailure {
  int err;
  const char* syscall;
};

}  // namespace sockdoc

#endif
