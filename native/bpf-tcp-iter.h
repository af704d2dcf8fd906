// The BPF tcp iterator as a dump source (see bpf-tcp-program.h): one walk
// of a namespace's TCP sockets whose messages look like a netlink dump's,
// without the kernel building a netlink message per socket (at 240k
// sockets about half the kernel time of the dump).
#ifndef SOCKDOC_BPF_TCP_ITER_H
#define SOCKDOC_BPF_TCP_ITER_H

#include <napi.h>
#include <stdint.h>

#include <functional>
#include <memory>
#include <string>

#include "bpf-tcp-program.h"
#include "fd.h"
#include "inet-diag-dump.h"

namespace sockdoc {

class TcpIter {
 public:
  // hz: the kernel's jiffies per second (its timers are in jiffies).
  TcpIter(const TcpOffsets& offsets, uint32_t btf_id, uint32_t hz, std::string* verifier_log);

  // One walk of spec.netns's TCP sockets (empty: the calling thread's
  // namespace): the sockets of spec.family and spec.states appended to
  // replies as reply messages, spec.tally taking those it wants, as
  // RunDump does; after_receive is called after each read and may stop it.
  void Run(const DumpSpec& spec, ReplyBuffer& replies, const std::function<bool(ReplyBuffer&)>& after_receive) const;

 private:
  uint32_t Milliseconds(uint32_t jiffies) const;
  Fd prog_;
  Fd link_;
  uint32_t hz_;
};

// The loaded iterator of a JavaScript BpfTcpIter object, for a stream's
// dump; throws a TypeError for anything else, an Error once it is closed.
std::shared_ptr<const TcpIter> TcpIterArgument(Napi::Env env, const Napi::Value& value);

}  // namespace sockdoc

#endif
