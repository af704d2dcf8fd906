// A tally of the sockets of a dump that no analysis needs one by one: their
// count per state and, when asked, per local port and per remote address
// (what the summary and the metrics' state counts read of them). Made on the
// lane thread as the messages arrive, so those sockets never reach
// JavaScript: on a busy host that is most of the per-socket work of a summary.
#ifndef SOCKDOC_STATE_TALLY_H
#define SOCKDOC_STATE_TALLY_H

#include <linux/inet_diag.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sockdoc {

class StateTally {
 public:
  // states: the state bits (1 << idiag_state) to tally; detail: ports and
  // remote addresses too (never for LISTEN, as the summary counts them).
  StateTally(uint32_t states, bool detail);

  // Whether the message's socket is one to tally (then it is not kept).
  bool Wants(const struct inet_diag_msg* message) const {
    return message->idiag_state < 32 && (states_ & (1u << message->idiag_state)) != 0;
  }
  void Add(const struct inet_diag_msg* message);
  // Sockets tallied so far (a dump that tallied one has sent sockets).
  uint64_t Taken() const { return taken_; }

  // Sockets tallied yet handed over too: those whose local port is within
  // [low, high] (timewait counts them toward its destinations). None by default.
  void KeepLocalPorts(uint16_t low, uint16_t high) {
    keep_low_ = low;
    keep_high_ = high;
    keep_ = true;
  }
  bool Keeps(const struct inet_diag_msg* message) const;

  // A socket of the dump: tallied if it is one to tally; true when it is
  // to be handed over all the same (not tallied, or kept).
  bool TakeOrKeep(const struct inet_diag_msg* message) {
    if (!Wants(message)) return true;
    Add(message);
    return Keeps(message);
  }

  // The tally as bytes (little-endian u32 words): 16 counts per kernel state;
  // n ports, then n (port, count); m addresses, then m (family, count, 4
  // words of address: an IPv4 address in the first).
  std::vector<uint32_t> Serialize() const;

 private:
  struct V6Hash {
    size_t operator()(const std::array<uint32_t, 4>& a) const {
      uint64_t h = 1469598103934665603ull;
      for (uint32_t w : a) h = (h ^ w) * 1099511628211ull;
      return static_cast<size_t>(h);
    }
  };

  uint32_t states_;
  bool detail_;
  bool keep_ = false;
  uint16_t keep_low_ = 0;
  uint16_t keep_high_ = 0;
  std::array<uint32_t, 16> counts_{};
  uint64_t taken_ = 0;
  std::vector<uint32_t> ports_;
  std::unordered_map<uint32_t, uint32_t> v4_;
  std::unordered_map<std::array<uint32_t, 4>, uint32_t, V6Hash> v6_;
};

}  // namespace sockdoc

#endif
