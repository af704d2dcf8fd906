// A file descriptor closed on every path (the fd scan's directories, the
// namespace files entered by setns).
#ifndef SOCKDOC_FD_H
#define SOCKDOC_FD_H

#include <unistd.h>

namespace sockdoc {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace sockdoc

#endif
