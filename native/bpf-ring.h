// The consumer side of a BPF_MAP_TYPE_RINGBUF, read through mmap: the
// consumer position page (ours to write), then the producer page and the
// data pages (mapped twice by the kernel so a record never wraps).
#ifndef SOCKDOC_BPF_RING_H
#define SOCKDOC_BPF_RING_H

#include <stddef.h>
#include <stdint.h>

#include <functional>

namespace sockdoc {

class BpfRing {
 public:
  // ring_fd: the map; data_bytes: its max_entries (a power of two of pages).
  BpfRing(int ring_fd, size_t data_bytes);
  ~BpfRing();
  BpfRing(const BpfRing&) = delete;
  BpfRing& operator=(const BpfRing&) = delete;

  // Hands every committed record to take (its bytes and length) and frees
  // its room; stops early, leaving the rest, when take returns false.
  // Returns the number of records taken.
  size_t Drain(const std::function<bool(const uint8_t*, uint32_t)>& take);

 private:
  size_t page_;
  size_t data_bytes_;
  void* consumer_ = nullptr;
  void* producer_ = nullptr;
};

}  // namespace sockdoc

#endif
