// inetDiagDestroy(request[, netnsPath]): SOCK_DESTROY for one socket, as
// `ss -K` does, in the network namespace netnsPath names (default: ours).
// The kernel's answer (0 or an errno: ENOENT for no such socket or a
// cookie mismatch, EPERM without CAP_NET_ADMIN, EOPNOTSUPP without
// CONFIG_INET_DIAG_DESTROY) is returned, not thrown: for a kill it is a per-socket result.
// Only failures of the netlink channel itself are thrown.
// inetDiagDestroyBatchAsync(requests) destroys many on a libuv pool thread
// through one netlink socket and resolves to their answers.
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <string.h>

#include <string>
#include <vector>

#include "addon.h"
#include "errors.h"
#include "netlink-socket.h"
#include "netns.h"
#include "promise-worker.h"

namespace sockdoc {
namespace {

struct DestroyRequest {
  struct nlmsghdr header;
  struct inet_diag_req_v2 body;
};

// The ACK is small: an nlmsgerr echoing our request header and body.
constexpr size_t kAckSpace = 8 * 1024;
static_assert(sizeof(struct inet_diag_req_v2) == 56, "inet_diag_req_v2 layout");

// A socket for destroy requests: the kernel answers each synchronously; the
// timeout only guards against a hang.
void PrepareSocket(NetlinkSocket& socket) { socket.SetReceiveTimeout(5); }

int Destroy(NetlinkSocket& socket, const struct inet_diag_req_v2& body) {
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

// Answers the batch in order; a failure of the channel itself stops it
// (thrown with the answers so far kept in answers).
void DestroyAll(const std::vector<struct inet_diag_req_v2>& requests, const std::string& netns,
                std::vector<int32_t>& answers) {
  if (requests.empty()) return;
  NetlinkSocket socket(netns);
  PrepareSocket(socket);
  for (const struct inet_diag_req_v2& body : requests) answers.push_back(Destroy(socket, body));
}

class DestroyBatchWorker : public PromiseWorker {
 public:
  DestroyBatchWorker(Napi::Env env, std::vector<struct inet_diag_req_v2> requests, std::string netns)
      : PromiseWorker(env, "sockdoc:inetDiagDestroyBatchAsync"),
        requests_(std::move(requests)),
        netns_(std::move(netns)) {}

  void Work() override {
    try {
      DestroyAll(requests_, netns_, answers_);
    } catch (const SyscallFailure& failure) {
      // The requests answered so far keep their answer; this one and the
      // rest were not (or not known to be) carried out: -errno of the failure.
      answers_.resize(requests_.size(), -failure.err);
    }
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Int32Array out = Napi::Int32Array::New(env, answers_.size());
    if (!answers_.empty()) memcpy(out.Data(), answers_.data(), answers_.size() * sizeof(int32_t));
    return out;
  }

 private:
  std::vector<struct inet_diag_req_v2> requests_;
  std::string netns_;
  std::vector<int32_t> answers_;
};

struct inet_diag_req_v2 RequestArgument(Napi::Env env, const Napi::Value& value, const char* name) {
  if (!value.IsBuffer()) throw Napi::TypeError::New(env, std::string(name) + ": a Buffer expected");
  Napi::Buffer<uint8_t> request = value.As<Napi::Buffer<uint8_t>>();
  if (request.Length() != sizeof(struct inet_diag_req_v2)) {
    throw Napi::RangeError::New(env, std::string(name) + ": request must be a 56-byte struct inet_diag_req_v2");
  }
  struct inet_diag_req_v2 body;
  memcpy(&body, request.Data(), sizeof body);
  return body;
}

}  // namespace

// inetDiagDestroyBatchAsync(requests): a Promise of an Int32Array with one
// answer per request, in order: 0 destroyed, a positive errno the kernel
// answered (ENOENT, EPERM, EOPNOTSUPP...), or a negative errno where the
// netlink channel itself failed at that request, which stops the batch (the
// rest carry the same negative value: not attempted).
Napi::Value InetDiagDestroyBatchAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    throw Napi::TypeError::New(env, "inetDiagDestroyBatchAsync(requests): an array of Buffers expected");
  }
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<struct inet_diag_req_v2> requests;
  requests.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); i++) {
    requests.push_back(RequestArgument(env, list.Get(i), "inetDiagDestroyBatchAsync"));
  }
  const std::string netns = NetnsArgument(env, info[1], "inetDiagDestroyBatchAsync");
  auto* worker = new DestroyBatchWorker(env, std::move(requests), netns);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value InetDiagDestroy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBuffer()) {
    throw Napi::TypeError::New(env, "inetDiagDestroy(request): a Buffer expected");
  }
  const struct inet_diag_req_v2 body = RequestArgument(env, info[0], "inetDiagDestroy");
  const std::string netns = NetnsArgument(env, info[1], "inetDiagDestroy");
  try {
    NetlinkSocket socket(netns);
    PrepareSocket(socket);
    return Napi::Number::New(env, Destroy(socket, body));
  } catch (const SyscallFailure& failure) {
    throw SystemError(env, failure.err, failure.syscall);
  }
}

}  // namespace sockdoc
