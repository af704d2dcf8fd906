// Reading a BPF iterator instance to its end (the fd iterator's records,
// the tcp iterator's messages): each read runs the program over the next
// objects and returns what it wrote, whole records in practice; one cut
// short is carried to the next read anyway.
#ifndef SOCKDOC_BPF_ITER_READ_H
#define SOCKDOC_BPF_ITER_READ_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cstddef>
#include <functional>
#include <vector>

#include "errors.h"

namespace sockdoc {

// Hands take() the whole records of each read (a multiple of record_bytes
// at records); take returns false to stop before the end. what names the
// iterator in errors. EAGAIN (the kernel's cap of a million objects visited
// in one read without output) and EINTR read again.
inline void ReadIteratorRecords(int fd, size_t record_bytes, size_t read_bytes, const char* what,
                                const std::function<bool(char* records, size_t bytes)>& take) {
  std::vector<char> bytes(read_bytes - read_bytes % record_bytes);
  size_t carried = 0;
  for (;;) {
    const ssize_t got = read(fd, bytes.data() + carried, bytes.size() - carried);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw SyscallFailure{errno, what};
    }
    if (got == 0) {
      if (carried > 0) throw SyscallFailure{EIO, what};
      return;
    }
    const size_t have = carried + static_cast<size_t>(got);
    const size_t whole = have - have % record_bytes;
    if (!take(bytes.data(), whole)) return;
    carried = have - whole;
    if (carried > 0) memmove(bytes.data(), bytes.data() + whole, carried);
  }
}

}  // namespace sockdoc

#endif
