// Ring buffer records: an 8-byte header (length with BUSY and DISCARD bits,
// page offset), the data, padded to 8 bytes. Positions only grow; the
// producer's is read with acquire and ours stored with release, as the
// kernel's side pairs them.
#include "bpf-ring.h"

#include <errno.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errors.h"

namespace sockdoc {

BpfRing::BpfRing(int ring_fd, size_t data_bytes) : page_(static_cast<size_t>(sysconf(_SC_PAGESIZE))), data_bytes_(data_bytes) {
  consumer_ = mmap(nullptr, page_, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
  if (consumer_ == MAP_FAILED) throw SyscallFailure{errno, "mmap(ringbuf consumer)"};
  producer_ = mmap(nullptr, page_ + 2 * data_bytes_, PROT_READ, MAP_SHARED, ring_fd, static_cast<off_t>(page_));
  if (producer_ == MAP_FAILED) {
    const int err = errno;
    munmap(consumer_, page_);
    throw SyscallFailure{err, "mmap(ringbuf data)"};
  }
}

BpfRing::~BpfRing() {
  munmap(producer_, page_ + 2 * data_bytes_);
  munmap(consumer_, page_);
}

size_t BpfRing::Drain(const std::function<bool(const uint8_t*, uint32_t)>& take) {
  auto* consumer_pos = static_cast<uint64_t*>(consumer_);
  auto* producer_pos = static_cast<const uint64_t*>(producer_);
  const uint8_t* data = static_cast<const uint8_t*>(producer_) + page_;
  const uint64_t mask = data_bytes_ - 1;
  uint64_t cons = __atomic_load_n(consumer_pos, __ATOMIC_ACQUIRE);
  size_t taken = 0;
  for (;;) {
    const uint64_t prod = __atomic_load_n(producer_pos, __ATOMIC_ACQUIRE);
    if (cons >= prod) break;
    bool stopped = false;
    while (cons < prod) {
      const auto* header = reinterpret_cast<const uint32_t*>(data + (cons & mask));
      const uint32_t len = __atomic_load_n(header, __ATOMIC_ACQUIRE);
      if (len & BPF_RINGBUF_BUSY_BIT) break;  // still being written
      const uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
      if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
        if (!take(reinterpret_cast<const uint8_t*>(header) + BPF_RINGBUF_HDR_SZ, size)) {
          stopped = true;
          break;
        }
        taken++;
      }
      cons += (static_cast<uint64_t>(size) + BPF_RINGBUF_HDR_SZ + 7) & ~uint64_t{7};
      __atomic_store_n(consumer_pos, cons, __ATOMIC_RELEASE);
    }
    if (stopped) break;
    const uint64_t again = __atomic_load_n(producer_pos, __ATOMIC_ACQUIRE);
    if (again == prod) {
      // Either caught up, or the next record is still busy: come back on the next wakeup.
      break;
    }
  }
  return taken;
}

}  // namespace sockdoc
