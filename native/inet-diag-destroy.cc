// inetDiagDestroy(request): SOCK_DESTROY for one socket, as `ss -K` does.
// The kernel's answer (0 or an errno: ENOENT for no such socket or a
// cookie mismatch, EPERM without CAP_NET_ADMIN, EOPNOTSUPP without
// CONFIG_INET_DIAG_DESTROY) is returned, not thrown: for a kill it is a per-socket result.
// Only failures of the netlink channel itself are thrown.
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <string.h>

#include "addon.h"
#include "errors.h"
#include "netlink-socket.h"

namespace sockdoc {
namespace {

struct DestroyRequest {
  struct nlmsghdr header;
  struct inet_diag_req_v2 body;
};

// The ACK is small: an nlmsgerr echoing our request header and body.
constexpr size_t kAckSpace = 8 * 1024;
static_assert(sizeof(struct inet_diag_req_v2) == 56, "inet_diag_req_v2 layout");

int Destroy(const struct inet_diag_req_v2& body) {
  NetlinkSocket socket;
  // The kernel answers synchronously; the timeout only guards against a hang.
  socket.SetReceiveTimeout(5);

  DestroyRequest request = {};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DESTROY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  request.header.nlmsg_seq = socket.NextSequence();
  request.body = body;
  socket.Send(&request, sizeof request);

  alignas(struct nlmsghdr) char buffer[kAckSpace];
  for (;;) {
    size_t got = socket.Receive(buffer, sizeof buffer);
    size_t offset = 0;
    while (got - offset >= sizeof(struct nlmsghdr)) {
      const struct nlmsghdr* header = reinterpret_cast<const struct nlmsghdr*>(buffer + offset);
      if (header->nlmsg_len < sizeof(struct nlmsghdr) || header->nlmsg_len > got - offset) {
        throw SyscallFailure{EPROTO, "recvmsg"};
      }
      if (header->nlmsg_seq == request.header.nlmsg_seq && header->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr error = {};
        if (header->nlmsg_len < NLMSG_LENGTH(sizeof(int))) throw SyscallFailure{EPROTO, "recvmsg"};
        memcpy(&error.error, NLMSG_DATA(header), sizeof error.error);
        return error.error < 0 ? -error.error : error.error;
      }
      offset += NLMSG_ALIGN(header->nlmsg_len);
    }
  }
}

}  // namespace

Napi::Value InetDiagDestroy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBuffer()) {
    throw Napi::TypeError::New(env, "inetDiagDestroy(request): a Buffer expected");
  }
  Napi::Buffer<uint8_t> request = info[0].As<Napi::Buffer<uint8_t>>();
  if (request.Length() != sizeof(struct inet_diag_req_v2)) {
    throw Napi::RangeError::New(env, "inetDiagDestroy: request must be a 56-byte struct inet_diag_req_v2");
  }
  struct inet_diag_req_v2 body;
  memcpy(&body, request.Data(), sizeof body);
  try {
    return Napi::Number::New(env, Destroy(body));
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

}  // namespace sockdoc
