// A Napi::AsyncWorker that settles a Promise: Work() runs on a libuv pool
// thread (no JavaScript values there), then Result() builds the value on the
// JavaScript thread. A SyscallFailure thrown by Work() rejects the Promise
// with a Node-style system error; std::bad_alloc with ENOMEM.
#ifndef SOCKDOC_PROMISE_WORKER_H
#define SOCKDOC_PROMISE_WORKER_H

#include <errno.h>
#include <napi.h>

#include <new>

#include "errors.h"

namespace sockdoc {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  // The Promise the caller returns to JavaScript; queue the worker first.
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  PromiseWorker(Napi::Env env, const char* name) : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  // The blocking part, off the JavaScript thread.
  virtual void Work() = 0;
  // The resolved value, on the JavaScript thread, after Work() returned.
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  void Execute() final {
    try {
      Work();
    } catch (const SyscallFailure& failure) {
      err_ = failure.err;
      syscall_ = failure.syscall;
    } catch (const std::bad_alloc&) {
      err_ = ENOMEM;
      syscall_ = "malloc";
    }
  }

  void OnOK() final {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (err_ != 0) {
      deferred_.Reject(SystemError(env, err_, syscall_).Value());
      return;
    }
    try {
      deferred_.Resolve(Result(env));
    } catch (const Napi::Error& error) {
      deferred_.Reject(error.Value());
    }
  }

  void OnError(const Napi::Error& error) final { deferred_.Reject(error.Value()); }

  Napi::Promise::Deferred deferred_;
  int err_ = 0;
  const char* syscall_ = nullptr;
};

}  // namespace sockdoc

#endif
