// Network namespaces: a socket keeps the namespace it was made in, and
// /proc/sys/net answers for the namespace of the thread that opens it. So
// the calling thread enters a namespace (setns, which moves only that
// thread) just for socket() or a few opens, and comes back at once.
#ifndef SOCKDOC_NETNS_H
#define SOCKDOC_NETNS_H

#include <napi.h>

#include <functional>
#include <string>

namespace sockdoc {

// Runs work inside the namespace at netns_path (empty: where the thread
// is). Throws SyscallFailure ("open" of the path, "setns") when it cannot
// enter; aborts the process if it cannot come back, since a thread left in
// another namespace would answer later calls for the wrong one.
void InNetns(const std::string& netns_path, const std::function<void()>& work);

// readFilesInNetns(netnsPath, paths): each file's content (UTF-8) or null,
// as a process in that namespace reads it. Read on a thread of its own.
Napi::Value ReadFilesInNetns(const Napi::CallbackInfo& info);

// An optional namespace path argument: "" when undefined; a TypeError otherwise.
std::string NetnsArgument(Napi::Env env, const Napi::Value& value, const char* name);

}  // namespace sockdoc

#endif
