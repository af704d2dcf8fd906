// A NETLINK_SOCK_DIAG socket owned by one call: opened, used for one request
// and its replies, closed by the destructor on every path (errors included).
#ifndef SOCKDOC_NETLINK_SOCKET_H
#define SOCKDOC_NETLINK_SOCKET_H

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace sockdoc {

class NetlinkSocket {
 public:
  // Throws SyscallFailure ("socket") when netlink is unavailable. netns_path,
  // when not empty, names a network namespace (/run/netns/NAME,
  // /proc/PID/ns/net): the socket is made in it, and keeps it (see netns.h).
  explicit NetlinkSocket(const std::string& netns_path = std::string());
  ~NetlinkSocket();
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;

  // Best effort: a failure only costs speed, never correctness.
  void SetReceiveBuffer(int bytes);
  // A receive timeout so a kernel that never answers cannot hang the caller.
  void SetReceiveTimeout(int seconds);

  // Sends one complete request to the kernel; throws SyscallFailure ("sendto").
  void Send(const void* message, size_t length);

  // Receives one datagram (one or more netlink messages). Throws
  // SyscallFailure ("recvmsg") on error and EMSGSIZE when the datagram did
  // not fit in capacity (it would otherwise be silently cut).
  size_t Receive(void* buffer, size_t capacity);

  // A sequence number unique to this socket's requests.
  uint32_t NextSequence() { return ++sequence_; }

 private:
  int fd_;
  uint32_t sequence_;
};

}  // namespace sockdoc

#endif
