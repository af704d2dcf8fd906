/*
 * time-wait-maker: the bench's fast TIME_WAIT maker, run inside the bench
 * namespace (C, compiled by the bench with g++; the Node worker
 * time-wait-worker.ts is the fallback). Blocking connect() on loopback
 * completes the handshake inside the call, so one thread can connect and
 * close a batch of clients (the client closes first: FIN_WAIT), then accept
 * and close the server ends (their FIN moves each client to TIME_WAIT).
 *
 * usage: time-wait-maker COUNT HOSTS PORT... (destinations 127.0.0.1..HOSTS)
 * stdout: the bench's JSON lines ({"type":"progress"|"ready"|"error",...}).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_PORTS = 64, BATCH = 256, PROGRESS_EVERY = 20000 };

static void fail(const char *what, unsigned host, int port) {
  printf("{\"type\":\"error\",\"message\":\"%s 127.0.0.%u:%d: %s\"}\n", what, host, port, strerror(errno));
  exit(1);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The server ends have the client's FIN queued: close() answers with FIN. */
static long accept_all(const int *listeners, int n) {
  long closed = 0;
  for (int i = 0; i < n; i++) {
    for (;;) {
      int c = accept4(listeners[i], NULL, NULL, 0);
      if (c < 0) break;
      close(c);
      closed++;
    }
  }
  return closed;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 4) {
    fprintf(stderr, "usage: time-wait-maker COUNT HOSTS PORT...\n");
    return 2;
  }
  long count = atol(argv[1]);
  unsigned hosts = (unsigned)atoi(argv[2]);
  int nports = argc - 3;
  if (nports > MAX_PORTS || hosts < 1 || hosts > 254) return 2;
  double t0 = now_ms();
  int listeners[MAX_PORTS], ports[MAX_PORTS];
  for (int i = 0; i < nports; i++) {
    ports[i] = atoi(argv[3 + i]);
    listeners[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listeners[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)ports[i]);
    if (bind(listeners[i], (struct sockaddr *)&a, sizeof a) != 0) fail("bind", 0, ports[i]);
    if (listen(listeners[i], 65535) != 0) fail("listen", 0, ports[i]);
  }
  long made = 0, accepted = 0;
  while (made < count) {
    long batch = count - made < (long)BATCH ? count - made : (long)BATCH;
    for (long j = 0; j < batch; j++) {
      long k = made + j;
      // Round-robin over every (host, port) so each destination gets its share.
      int port = ports[k % nports];
      unsigned host = 1 + (unsigned)((k / nports) % hosts);
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) fail("socket", host, port);
      struct sockaddr_in a;
      memset(&a, 0, sizeof a);
      a.sin_family = AF_INET;
      a.sin_port = htons((unsigned short)port);
      a.sin_addr.s_addr = htonl(0x7f000000u + host);
      if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) fail("connect", host, port);
      close(fd);
    }
    accepted += accept_all(listeners, nports);
    if ((made + batch) / PROGRESS_EVERY != made / PROGRESS_EVERY) {
      printf("{\"type\":\"progress\",\"done\":%ld}\n", made + batch);
    }
    made += batch;
  }
  // A server end not yet in the accept queue would leave its client in
  // FIN_WAIT_2: wait (10 s at most) until every one has been closed.
  struct pollfd fds[MAX_PORTS];
  for (int i = 0; i < nports; i++) {
    fds[i].fd = listeners[i];
    fds[i].events = POLLIN;
    fds[i].revents = 0;
  }
  for (int waited = 0; accepted < count && waited < 100; waited++) {
    poll(fds, (nfds_t)nports, 100);
    accepted += accept_all(listeners, nports);
  }
  if (accepted < count) {
    errno = ETIMEDOUT;
    fail("accept", 0, ports[0]);
  }
  printf("{\"type\":\"ready\",\"held\":%ld,\"ms\":%.0f}\n", made, now_ms() - t0);
  return 0;
}
