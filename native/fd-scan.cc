// scanSocketFds(procRoot, wanted): which processes hold which sockets.
// Walks <procRoot>/<pid>/fd with getdents64 + readlinkat, which is where
// lsof and `ss -p` spend their time; doing it here avoids one JS string per
// fd and lets the walk stop as soon as every wanted inode has an owner.
// scanSocketFdsAsync does the same walk on a libuv pool thread.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "errors.h"
#include "fd.h"
#include "fd-scan.h"
#include "promise-worker.h"

namespace sockdoc {
namespace {

// Layout the kernel writes for getdents64 (struct linux_dirent64).
struct LinuxDirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

constexpr size_t kDirentSpace = 64 * 1024;

// Non-negative integer from an all-digit name; -1 for anything else.
int64_t ParseNumber(const char* s) {
  if (*s == '\0') return -1;
  int64_t n = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || n > (INT64_MAX - 9) / 10) return -1;
    n = n * 10 + (*s - '0');
  }
  return n;
}

// Inode of a "socket:[N]" link target; -1 when it is not a socket.
int64_t SocketInode(const char* link, size_t length) {
  static const char kPrefix[] = "socket:[";
  constexpr size_t kPrefixLength = sizeof kPrefix - 1;
  if (length < kPrefixLength + 2 || memcmp(link, kPrefix, kPrefixLength) != 0 || link[length - 1] != ']') {
    return -1;
  }
  int64_t n = 0;
  for (size_t i = kPrefixLength; i < length - 1; i++) {
    char c = link[i];
    if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// Whether the process behind pid_name exited: its directory is gone, or it
// is a zombie (state Z or X in <pid>/stat). An fd link of a process reaped
// during the walk answers EACCES, not ENOENT (the kernel cannot find the task
// to check access against), so EACCES alone does not mean "refused".
bool ProcessGone(int root, const char* pid_name) {
  struct stat entry;
  if (fstatat(root, pid_name, &entry, 0) < 0) return errno == ENOENT || errno == ESRCH;
  std::string path = std::string(pid_name) + "/stat";
  Fd stat(openat(root, path.c_str(), O_RDONLY | O_CLOEXEC));
  if (stat.get() < 0) return false;  // a hand-made tree without stat files: not known to be gone
  char text[512];
  ssize_t got = read(stat.get(), text, sizeof text - 1);
  if (got < 0) return errno == ESRCH;
  text[got] = '\0';
  // "pid (comm) S ...": comm may hold ')' itself, so the last one ends it.
  const char* close = strrchr(text, ')');
  if (close == nullptr || close[1] != ' ') return false;
  const char state = close[2];
  return state == 'Z' || state == 'X' || state == 'x';
}

class Scanner {
 public:
  // filter false: every socket is wanted (wanted may be null then).
  Scanner(bool filter, const double* wanted, size_t count)
      : filter_(filter), wanted_(wanted), count_(count), seen_(new std::atomic<uint8_t>[count]()) {
    // Duplicates in wanted count once toward "every wanted inode seen".
    for (size_t i = 0; i < count; i++) {
      if (i == 0 || wanted[i] != wanted[i - 1]) distinct_++;
    }
  }

  bool Done() const { return filter_ && seen_distinct_.load(std::memory_order_relaxed) == distinct_; }

  // Scans one pid's fd directory. A process that exited meanwhile is
  // counted in gone, one whose fds are refused in denied.
  void ScanProcess(int root, const char* pid_name, int32_t pid, std::vector<char>& dirents, ScanResult& out) {
    std::string path = std::string(pid_name) + "/fd";
    Fd dir(openat(root, path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) {
      const int err = errno;
      if (err != EACCES && err != EPERM && err != ENOENT && err != ESRCH && err != ENOTDIR) {
        throw SyscallFailure{err, "openat"};
      }
      if (err != ENOTDIR && ProcessGone(root, pid_name)) out.gone.push_back(pid);
      else if (err == EACCES || err == EPERM) out.denied.push_back(pid);
      return;
    }
    char link[64];
    for (;;) {
      long got = syscall(SYS_getdents64, dir.get(), dirents.data(), dirents.size());
      if (got < 0) {
        // The process exited while we were reading it.
        if (errno == ENOENT || errno == ESRCH) {
          out.gone.push_back(pid);
          return;
        }
        throw SyscallFailure{errno, "getdents64"};
      }
      if (got == 0) return;
      for (long offset = 0; offset < got;) {
        const LinuxDirent64* entry = reinterpret_cast<const LinuxDirent64*>(dirents.data() + offset);
        offset += entry->d_reclen;
        int64_t fd = ParseNumber(entry->d_name);
        if (fd < 0) continue;
        ssize_t length = readlinkat(dir.get(), entry->d_name, link, sizeof link);
        if (length < 0) {
          if (errno == EACCES || errno == EPERM) {
            if (ProcessGone(root, pid_name)) out.gone.push_back(pid);
            else out.denied.push_back(pid);
            return;
          }
          continue;  // closed since the listing, or the process exited
        }
        int64_t inode = SocketInode(link, static_cast<size_t>(length));
        if (inode < 0 || !Wanted(static_cast<double>(inode))) continue;
        out.pids.push_back(pid);
        out.fds.push_back(static_cast<int32_t>(fd));
        out.inodes.push_back(static_cast<double>(inode));
      }
    }
  }

 private:
  bool Wanted(double inode) {
    if (!filter_) return true;
    if (count_ == 0) return false;
    const double* end = wanted_ + count_;
    const double* at = std::lower_bound(wanted_, end, inode);
    if (at == end || *at != inode) return false;
    size_t index = static_cast<size_t>(at - wanted_);
    // Several threads scan at once: the first to see an inode counts it.
    if (!seen_[index].exchange(1, std::memory_order_relaxed)) seen_distinct_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  bool filter_;
  const double* wanted_;
  size_t count_;
  std::unique_ptr<std::atomic<uint8_t>[]> seen_;
  size_t distinct_ = 0;
  std::atomic<size_t> seen_distinct_{0};
};

// The numeric entries of the root: the pids, in directory order.
std::vector<std::string> ListPids(int root) {
  std::vector<std::string> pids;
  std::vector<char> dirents(kDirentSpace);
  for (;;) {
    long got = syscall(SYS_getdents64, root, dirents.data(), dirents.size());
    if (got < 0) throw SyscallFailure{errno, "getdents64"};
    if (got == 0) return pids;
    for (long offset = 0; offset < got;) {
      const LinuxDirent64* entry = reinterpret_cast<const LinuxDirent64*>(dirents.data() + offset);
      offset += entry->d_reclen;
      int64_t pid = ParseNumber(entry->d_name);
      if (pid >= 0 && pid <= INT32_MAX) pids.emplace_back(entry->d_name);
    }
  }
}

// The walk is readlink after readlink in the kernel, one process after
// another; processes are independent, so each thread takes the next pid
// until all are done or every wanted inode has been seen.
constexpr unsigned kMaxThreads = 4;

ScanResult Scan(const std::string& proc_root, bool filter, const double* wanted, size_t count) {
  ScanResult merged;
  Scanner scanner(filter, wanted, count);
  if (scanner.Done()) return merged;  // an empty wanted list needs no walk
  Fd root(open(proc_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) throw SyscallFailure{errno, "open"};
  const std::vector<std::string> pids = ListPids(root.get());
  // One result per pid, merged in directory order so the output does not
  // depend on which thread got there first.
  std::vector<ScanResult> per_pid(pids.size());
  std::atomic<size_t> next{0};
  std::atomic<int> failure{0};
  const char* failed_syscall = nullptr;
  auto work = [&]() {
    std::vector<char> dirents(kDirentSpace);
    for (;;) {
      if (scanner.Done() || failure.load()) return;
      size_t i = next.fetch_add(1);
      if (i >= pids.size()) return;
      try {
        scanner.ScanProcess(root.get(), pids[i].c_str(), static_cast<int32_t>(ParseNumber(pids[i].c_str())),
                            dirents, per_pid[i]);
      } catch (const SyscallFailure& f) {
        int expected = 0;
        if (failure.compare_exchange_strong(expected, f.err)) failed_syscall = f.syscall;
        return;
      }
    }
  };
  unsigned cores = std::thread::hardware_concurrency();
  unsigned extra = std::min(kMaxThreads, cores == 0 ? 1u : cores) - 1;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < extra && t + 1 < pids.size(); t++) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  if (failure.load()) throw SyscallFailure{failure.load(), failed_syscall};
  for (ScanResult& r : per_pid) {
    merged.pids.insert(merged.pids.end(), r.pids.begin(), r.pids.end());
    merged.fds.insert(merged.fds.end(), r.fds.begin(), r.fds.end());
    merged.inodes.insert(merged.inodes.end(), r.inodes.begin(), r.inodes.end());
    merged.denied.insert(merged.denied.end(), r.denied.begin(), r.denied.end());
    merged.gone.insert(merged.gone.end(), r.gone.begin(), r.gone.end());
  }
  return merged;
}

template <typename Typed, typename T>
Typed ToTypedArray(Napi::Env env, const std::vector<T>& values) {
  Typed array = Typed::New(env, values.size());
  if (!values.empty()) memcpy(array.Data(), values.data(), values.size() * sizeof(T));
  return array;
}

}  // namespace

namespace {

// The arguments, copied: an async scan must not read a typed array that
// JavaScript may change or collect while the walk runs.
struct ScanRequest {
  std::string proc_root;
  bool filter = false;
  std::vector<double> wanted;
};

ScanRequest ScanArguments(const Napi::CallbackInfo& info, const char* name) {
  Napi::Env env = info.Env();
  const std::string prefix = std::string(name) + "(procRoot, wanted): ";
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, prefix + "procRoot must be a string");
  ScanRequest request;
  request.proc_root = info[0].As<Napi::String>().Utf8Value();
  request.filter = WantedInodes(env, info.Length() > 1 ? info[1] : env.Null(), prefix, &request.wanted);
  return request;
}

ScanResult RunScan(const ScanRequest& request) {
  return Scan(request.proc_root, request.filter, request.wanted.data(), request.wanted.size());
}

}  // namespace

bool WantedInodes(Napi::Env env, Napi::Value arg, const std::string& prefix, std::vector<double>* wanted) {
  if (arg.IsNull() || arg.IsUndefined()) return false;
  if (!arg.IsTypedArray() || arg.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, prefix + "wanted must be a Float64Array or null");
  }
  Napi::Float64Array array = arg.As<Napi::Float64Array>();
  wanted->assign(array.Data(), array.Data() + array.ElementLength());
  for (size_t i = 1; i < wanted->size(); i++) {
    if (!((*wanted)[i - 1] <= (*wanted)[i])) throw Napi::RangeError::New(env, prefix + "wanted must be sorted ascending");
  }
  return true;
}

Napi::Object ScanResultObject(Napi::Env env, const ScanResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("pids", ToTypedArray<Napi::Int32Array>(env, result.pids));
  out.Set("fds", ToTypedArray<Napi::Int32Array>(env, result.fds));
  out.Set("inodes", ToTypedArray<Napi::Float64Array>(env, result.inodes));
  out.Set("deniedPids", ToTypedArray<Napi::Int32Array>(env, result.denied));
  out.Set("gonePids", ToTypedArray<Napi::Int32Array>(env, result.gone));
  return out;
}

namespace {

class ScanWorker : public PromiseWorker {
 public:
  ScanWorker(Napi::Env env, ScanRequest request)
      : PromiseWorker(env, "sockdoc:scanSocketFdsAsync"), request_(std::move(request)) {}
  void Work() override { result_ = RunScan(request_); }
  Napi::Value Result(Napi::Env env) override { return ScanResultObject(env, result_); }

 private:
  ScanRequest request_;
  ScanResult result_;
};

}  // namespace

Napi::Value ScanSocketFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ScanRequest request = ScanArguments(info, "scanSocketFds");
  try {
    return ScanResultObject(env, RunScan(request));
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

// scanSocketFdsAsync(procRoot, wanted): a Promise of scanSocketFds's result.
Napi::Value ScanSocketFdsAsync(const Napi::CallbackInfo& info) {
  auto* worker = new ScanWorker(info.Env(), ScanArguments(info, "scanSocketFdsAsync"));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace sockdoc
