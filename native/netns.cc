// Entering network namespaces for one call at a time (see netns.h).
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <optional>
#include <thread>
#include <vector>

#include "errors.h"
#include "fd.h"

namespace sockdoc {

namespace {

// Files under /proc/sys are small; a bound keeps a strange file from growing memory.
constexpr size_t kMaxFileBytes = 1 << 20;

std::optional<std::string> ReadFile(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t got = read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
    if (text.size() > kMaxFileBytes) break;
  }
  return text;
}

}  // namespace

void InNetns(const std::string& netns_path, const std::function<void()>& work) {
  if (netns_path.empty()) {
    work();
    return;
  }
  Fd target(open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (target.get() < 0) throw SyscallFailure{errno, "open"};
  Fd home(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (home.get() < 0) throw SyscallFailure{errno, "open"};
  if (setns(target.get(), CLONE_NEWNET) != 0) throw SyscallFailure{errno, "setns"};
  work();
  if (setns(home.get(), CLONE_NEWNET) != 0) {
    fprintf(stderr, "sockdoc: cannot return to the thread's own network namespace (errno %d); stopping\n", errno);
    abort();
  }
}

std::string NetnsArgument(Napi::Env env, const Napi::Value& value, const char* name) {
  if (value.IsUndefined() || value.IsNull()) return std::string();
  if (!value.IsString()) throw Napi::TypeError::New(env, std::string(name) + ": netnsPath must be a string");
  return value.As<Napi::String>().Utf8Value();
}

Napi::Value ReadFilesInNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "readFilesInNetns(netnsPath, paths): a string and an array of strings expected";
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsArray()) throw Napi::TypeError::New(env, usage);
  const std::string netns = info[0].As<Napi::String>().Utf8Value();
  Napi::Array list = info[1].As<Napi::Array>();
  std::vector<std::string> paths;
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Value path = list.Get(i);
    if (!path.IsString()) throw Napi::TypeError::New(env, usage);
    paths.push_back(path.As<Napi::String>().Utf8Value());
  }
  // A thread of its own enters the namespace, so the JavaScript thread never leaves its own.
  std::vector<std::optional<std::string>> texts(paths.size());
  int err = 0;
  const char* syscall = nullptr;
  std::thread reader([&] {
    try {
      InNetns(netns, [&] {
        for (size_t i = 0; i < paths.size(); i++) texts[i] = ReadFile(paths[i]);
      });
    } catch (const SyscallFailure& failure) {
      err = failure.err;
      syscall = failure.syscall;
    }
  });
  reader.join();
  if (syscall != nullptr) throw SystemError(env, err, syscall);
  Napi::Array out = Napi::Array::New(env, texts.size());
  for (uint32_t i = 0; i < texts.size(); i++) {
    if (texts[i]) {
      out.Set(i, Napi::String::New(env, texts[i]->data(), texts[i]->size()));
    } else {
      out.Set(i, env.Null());
    }
  }
  return out;
}

}  // namespace sockdoc
