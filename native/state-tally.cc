#include "state-tally.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

namespace sockdoc {

StateTally::StateTally(uint32_t states, bool detail) : states_(states), detail_(detail) {
  if (detail_) ports_.assign(65536, 0);
}

void StateTally::Add(const struct inet_diag_msg* message) {
  const uint8_t state = message->idiag_state;
  taken_++;
  if (state < counts_.size()) counts_[state]++;
  if (!detail_ || state == TCP_LISTEN) return;
  ports_[ntohs(message->id.idiag_sport)]++;
  if (message->idiag_family == AF_INET) {
    v4_[message->id.idiag_dst[0]]++;
  } else {
    std::array<uint32_t, 4> key;
    memcpy(key.data(), message->id.idiag_dst, sizeof key);
    v6_[key]++;
  }
}

bool StateTally::Keeps(const struct inet_diag_msg* message) const {
  if (!keep_) return false;
  const uint16_t port = ntohs(message->id.idiag_sport);
  return port >= keep_low_ && port <= keep_high_;
}

std::vector<uint32_t> StateTally::Serialize() const {
  std::vector<uint32_t> out(counts_.begin(), counts_.end());
  size_t port_count = 0;
  for (uint32_t n : ports_) port_count += n > 0;
  out.push_back(static_cast<uint32_t>(port_count));
  for (size_t port = 0; port < ports_.size(); port++) {
    if (ports_[port] == 0) continue;
    out.push_back(static_cast<uint32_t>(port));
    out.push_back(ports_[port]);
  }
  out.push_back(static_cast<uint32_t>(v4_.size() + v6_.size()));
  for (const auto& [address, count] : v4_) out.insert(out.end(), {AF_INET, count, address, 0, 0, 0});
  for (const auto& [address, count] : v6_) {
    out.insert(out.end(), {AF_INET6, count, address[0], address[1], address[2], address[3]});
  }
  return out;
}

}  // namespace sockdoc
