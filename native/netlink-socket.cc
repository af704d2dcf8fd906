// NETLINK_SOCK_DIAG socket plumbing shared by dump and destroy.
#include "netlink-socket.h"

#include <errno.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "netns.h"

namespace sockdoc {

NetlinkSocket::NetlinkSocket(const std::string& netns_path) : fd_(-1), sequence_(0) {
  int err = 0;
  InNetns(netns_path, [&] {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    err = errno;
  });
  if (fd_ < 0) throw SyscallFailure{err, "socket"};
  // Start from a time-derived value so replies to an earlier socket that
  // reused this port id can never be mistaken for ours.
  sequence_ = static_cast<uint32_t>(time(nullptr));
}

NetlinkSocket::~NetlinkSocket() {
  if (fd_ >= 0) close(fd_);
}

void NetlinkSocket::SetReceiveBuffer(int bytes) {
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

void NetlinkSocket::SetReceiveTimeout(int seconds) {
  struct timeval tv = {seconds, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

void NetlinkSocket::Send(const void* message, size_t length) {
  struct sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    ssize_t sent = sendto(fd_, message, length, 0, reinterpret_cast<struct sockaddr*>(&kernel), sizeof kernel);
    if (sent >= 0) {
      if (static_cast<size_t>(sent) != length) throw SyscallFailure{EMSGSIZE, "sendto"};
      return;
    }
    if (errno != EINTR) throw SyscallFailure{errno, "sendto"};
  }
}

size_t NetlinkSocket::Receive(void* buffer, size_t capacity) {
  for (;;) {
    struct sockaddr_nl from = {};
    struct iovec iov = {buffer, capacity};
    struct msghdr msg = {};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t got = recvmsg(fd_, &msg, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw SyscallFailure{errno, "recvmsg"};
    }
    if (msg.msg_flags & MSG_TRUNC) throw SyscallFailure{EMSGSIZE, "recvmsg"};
    // Only the kernel (port id 0) may answer; anything else is not a reply.
    if (from.nl_pid != 0) continue;
    return static_cast<size_t>(got);
  }
}

}  // namespace sockdoc
