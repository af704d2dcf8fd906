// What a search for socket owners returns, whichever way it looked (the
// /proc fd walk in fd-scan.cc or the BPF iterator in bpf-fd-iter.cc), and
// the "wanted" argument both take: same shape, so TypeScript treats them alike.
#ifndef SOCKDOC_FD_SCAN_H
#define SOCKDOC_FD_SCAN_H

#include <napi.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace sockdoc {

// One hit per (process, fd) holding a wanted socket, in pid then fd order.
struct ScanResult {
  std::vector<int32_t> pids;
  std::vector<int32_t> fds;
  std::vector<double> inodes;
  std::vector<int32_t> denied;  // processes whose fds could not be read
  std::vector<int32_t> gone;    // processes that exited during the walk
};

// The JavaScript object { pids, fds, inodes, deniedPids, gonePids } (typed arrays).
Napi::Object ScanResultObject(Napi::Env env, const ScanResult& result);

// Reads a Float64Array of inodes sorted ascending into wanted; false (no
// filter: every socket is wanted) for null or undefined. Throws a TypeError
// or RangeError that starts with prefix.
bool WantedInodes(Napi::Env env, Napi::Value arg, const std::string& prefix, std::vector<double>* wanted);

}  // namespace sockdoc

#endif
