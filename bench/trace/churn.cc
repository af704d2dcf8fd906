/*
 * churn: T6's connection churn, run inside the bench's trace namespace (C,
 * compiled by the bench with g++). Paces RATE loopback connections a
 * second for SECONDS: blocking connect() completes the handshake inside the
 * call; the server end is accepted and closed first (it keeps the
 * TIME_WAIT, so client ports are not used up), then the client end. Each
 * connection makes about ten TCP state changes.
 *
 * usage: churn RATE SECONDS PORTS
 * stdout: {"connections":N,"wallMs":W,"cpuMs":C,"failed":F} (cpu: this process, user + system)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_PORTS = 64 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: churn RATE SECONDS PORTS\n");
    return 2;
  }
  const long rate = atol(argv[1]);
  const double seconds = atof(argv[2]);
  const int nports = atoi(argv[3]);
  if (rate < 1 || seconds <= 0 || nports < 1 || nports > MAX_PORTS) return 2;
  int listeners[MAX_PORTS];
  struct sockaddr_in addrs[MAX_PORTS];
  for (int i = 0; i < nports; i++) {
    listeners[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    memset(&addrs[i], 0, sizeof(addrs[i]));
    addrs[i].sin_family = AF_INET;
    addrs[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addrs[i]);
    if (bind(listeners[i], (struct sockaddr *)&addrs[i], sizeof(addrs[i])) < 0 || listen(listeners[i], 4096) < 0 ||
        getsockname(listeners[i], (struct sockaddr *)&addrs[i], &len) < 0) {
      perror("listen");
      return 1;
    }
  }
  const double t0 = now_ms();
  const double cpu0 = cpu_ms();
  long made = 0, failed = 0;
  for (;;) {
    const double elapsed = now_ms() - t0;
    if (elapsed >= seconds * 1e3) break;
    const long due = (long)(elapsed * rate / 1e3);
    if (made >= due) {
      usleep(200);
      continue;
    }
    const int port = (int)(made % nports);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || connect(c, (struct sockaddr *)&addrs[port], sizeof(addrs[port])) < 0) {
      if (c >= 0) close(c);
      failed++;
      made++;
      continue;
    }
    int s = accept4(listeners[port], NULL, NULL, 0);
    if (s >= 0) close(s); /* server closes first: FIN_WAIT1, the client CLOSE_WAIT */
    close(c);             /* client: LAST_ACK, then CLOSE; the server: TIME_WAIT */
    made++;
  }
  printf("{\"connections\":%ld,\"wallMs\":%.1f,\"cpuMs\":%.1f,\"failed\":%ld}\n", made - failed, now_ms() - t0,
         cpu_ms() - cpu0, failed);
  return 0;
}
