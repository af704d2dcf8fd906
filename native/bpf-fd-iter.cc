// new BpfSocketFdIter(offsets, btfId): loads the socket fd iterator program
// (bpf-fd-program.h) for the kernel's bpf_iter_task_file and links it; each
// scan() or scanAsync() then makes one instance of the iterator and reads it
// to the end: every (process, fd, socket inode) on the host, filtered to the
// wanted inodes. Same result shape as scanSocketFds (fd-scan.h); nothing is
// denied or gone (the kernel walks the tasks itself). The program and link
// are fds of this process only: they go on close(), on exit, on a crash.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "bpf-fd-program.h"
#include "bpf-iter-read.h"
#include "bpf-syscall.h"
#include "errors.h"
#include "fd-scan.h"
#include "fd.h"
#include "offset-argument.h"
#include "promise-worker.h"

namespace sockdoc {

namespace {

constexpr char kName[] = "BpfSocketFdIter";
constexpr size_t kReadBytes = 64 * 1024;  // a multiple of the record size

}  // namespace

// The loaded program and its link; shared with a running scanAsync(), so
// close() cannot free them under it.
class SocketFdIter {
 public:
  SocketFdIter(const FdOffsets& offsets, uint32_t btf_id, std::string* verifier_log)
      : prog_(BpfProgLoad(BPF_PROG_TYPE_TRACING, SocketFdProgram(offsets), "sockdoc_fds", verifier_log,
                          ProgTarget{BPF_TRACE_ITER, btf_id})),
        link_(BpfIterLinkCreate(prog_.get())) {}

  // Runs the iterator once: the hits for the wanted inodes (all sockets
  // when !filter), in pid order then fd order, as the /proc walk gives them.
  ScanResult Scan(bool filter, const std::vector<double>& wanted) const {
    Fd iter(BpfIterCreate(link_.get()));
    std::vector<SocketFdRecord> hits;
    ReadIteratorRecords(iter.get(), sizeof(SocketFdRecord), kReadBytes, "read(bpf iterator)",
                        [&](char* records, size_t bytes) {
                          for (size_t at = 0; at < bytes; at += sizeof(SocketFdRecord)) {
                            SocketFdRecord record;
                            memcpy(&record, records + at, sizeof record);
                            if (!filter || std::binary_search(wanted.begin(), wanted.end(),
                                                              static_cast<double>(record.inode))) {
                              hits.push_back(record);
                            }
                          }
                          return true;
                        });
    // The walk's order: pid, then fd. The kernel visits tasks by id, so a
    // process's files mostly come in one run; but a thread with a file table
    // of its own, or every thread of a process whose leader exited (the
    // kernel then skips none of them), reports files under the same pid
    // again: sort, and keep each (pid, fd, inode) once.
    auto before = [](const SocketFdRecord& a, const SocketFdRecord& b) {
      return a.pid != b.pid ? a.pid < b.pid : a.fd != b.fd ? a.fd < b.fd : a.inode < b.inode;
    };
    auto same = [](const SocketFdRecord& a, const SocketFdRecord& b) {
      return a.pid == b.pid && a.fd == b.fd && a.inode == b.inode;
    };
    if (!std::is_sorted(hits.begin(), hits.end(), before)) std::sort(hits.begin(), hits.end(), before);
    hits.erase(std::unique(hits.begin(), hits.end(), same), hits.end());
    ScanResult result;
    result.pids.reserve(hits.size());
    result.fds.reserve(hits.size());
    result.inodes.reserve(hits.size());
    for (const SocketFdRecord& h : hits) {
      result.pids.push_back(static_cast<int32_t>(h.pid));
      result.fds.push_back(static_cast<int32_t>(h.fd));
      result.inodes.push_back(static_cast<double>(h.inode));
    }
    return result;
  }

 private:
  Fd prog_;
  Fd link_;
};

namespace {

class IterScanWorker : public PromiseWorker {
 public:
  IterScanWorker(Napi::Env env, std::shared_ptr<SocketFdIter> iter, bool filter, std::vector<double> wanted)
      : PromiseWorker(env, "sockdoc:BpfSocketFdIter.scanAsync"),
        iter_(std::move(iter)),
        filter_(filter),
        wanted_(std::move(wanted)) {}
  void Work() override { result_ = iter_->Scan(filter_, wanted_); }
  Napi::Value Result(Napi::Env env) override { return ScanResultObject(env, result_); }

 private:
  std::shared_ptr<SocketFdIter> iter_;
  bool filter_;
  std::vector<double> wanted_;
  ScanResult result_;
};

}  // namespace

BpfSocketFdIterWrap::BpfSocketFdIterWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<BpfSocketFdIterWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "BpfSocketFdIter(offsets, btfId): an object and a number expected");
  }
  const Napi::Object o = info[0].As<Napi::Object>();
  const FdOffsets offsets{OffsetField(env, o, "ctxMeta", false, kName),   OffsetField(env, o, "ctxTask", false, kName),
                          OffsetField(env, o, "ctxFd", false, kName),     OffsetField(env, o, "ctxFile", false, kName),
                          OffsetField(env, o, "metaSeq", false, kName),   OffsetField(env, o, "fileInode", false, kName),
                          OffsetField(env, o, "inodeMode", false, kName), OffsetField(env, o, "inodeIno", false, kName),
                          OffsetField(env, o, "inodeSb", false, kName),   OffsetField(env, o, "sbMagic", false, kName),
                          OffsetField(env, o, "taskTgid", false, kName)};
  // The program's loads take a 16-bit offset.
  for (int32_t offset : {offsets.ctx_meta, offsets.ctx_task, offsets.ctx_fd, offsets.ctx_file, offsets.meta_seq,
                         offsets.file_inode, offsets.inode_mode, offsets.inode_ino, offsets.inode_sb, offsets.sb_magic,
                         offsets.task_tgid}) {
    if (offset < 0 || offset > INT16_MAX) throw Napi::RangeError::New(env, "BpfSocketFdIter: an offset is out of range");
  }
  const int64_t btf_id = info[1].As<Napi::Number>().Int64Value();
  if (btf_id <= 0 || btf_id > UINT32_MAX) throw Napi::RangeError::New(env, "BpfSocketFdIter: btfId out of range");
  std::string verifier_log;
  try {
    iter_ = std::make_shared<SocketFdIter>(offsets, static_cast<uint32_t>(btf_id), &verifier_log);
  } catch (const SyscallFailure& failure) {
    Napi::Error error = SystemError(env, failure.err, failure.syscall);
    if (!verifier_log.empty()) error.Value().Set("verifierLog", Napi::String::New(env, verifier_log));
    throw error;
  }
}

Napi::Function BpfSocketFdIterWrap::Define(Napi::Env env) {
  return DefineClass(env, kName,
                     {InstanceMethod("scan", &BpfSocketFdIterWrap::Scan),
                      InstanceMethod("scanAsync", &BpfSocketFdIterWrap::ScanAsync),
                      InstanceMethod("close", &BpfSocketFdIterWrap::Close)});
}

std::shared_ptr<SocketFdIter> BpfSocketFdIterWrap::Open(Napi::Env env) const {
  if (!iter_) throw Napi::Error::New(env, "BpfSocketFdIter: closed");
  return iter_;
}

// scan(wanted): { pids, fds, inodes, deniedPids, gonePids } as scanSocketFds.
Napi::Value BpfSocketFdIterWrap::Scan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<double> wanted;
  const bool filter = WantedInodes(env, info.Length() > 0 ? info[0] : env.Null(), "scan(wanted): ", &wanted);
  try {
    return ScanResultObject(env, Open(env)->Scan(filter, wanted));
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

// scanAsync(wanted): the same on a libuv pool thread, as a Promise.
Napi::Value BpfSocketFdIterWrap::ScanAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<double> wanted;
  const bool filter = WantedInodes(env, info.Length() > 0 ? info[0] : env.Null(), "scanAsync(wanted): ", &wanted);
  auto* worker = new IterScanWorker(env, Open(env), filter, std::move(wanted));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// close(): unloads the program once no scan uses it.
Napi::Value BpfSocketFdIterWrap::Close(const Napi::CallbackInfo& info) {
  iter_.reset();
  return info.Env().Undefined();
}

}  // namespace sockdoc
