/** @module The text after `sockdoc trace --help`'s options. */
export const TRACE_HELP = `
What it shows:
  Each change of a TCP socket's state, as the kernel makes it (tracepoint
  sock:inet_sock_set_state): the time, the namespace (with --all-netns), the
  old and new state (ss's names), how long the socket spent in the old state
  (AFTER: known when the trace saw it enter that state; "-" otherwise), the
  local and remote address, and the owner (pid/comm). The owner is looked up
  right after the change (batched, about every 100 ms): the kernel makes the
  change to CLOSE_WAIT in softirq, on whatever task had the CPU, so it cannot
  say. A socket already gone by then shows "(gone)"; one without an fd
  "(no fd)" (not yet accepted, orphaned); CLOSE and TIME_WAIT have none.
  --no-owners skips the lookups ("(no lookup)"): each is a dump of the
  namespace and, for sockets still there, a walk of every process's fds.

FILTER:
  The language of ls and closewait; a state term matches the NEW state and
  is applied in the kernel: "state close-wait", "dport = :443",
  "state close-wait and sport = :8080". Without one, every change is shown.

--closes:
  Instead of every change: which side closed each connection first (active:
  ESTABLISHED to FIN_WAIT1, it will hold the TIME_WAIT; passive: ESTABLISHED
  to CLOSE_WAIT, its application must close), and each second the TIME_WAIT
  entries per destination (the kernel hands a closing socket to a timewait
  socket as the full socket goes from FIN_WAIT2 or CLOSING to CLOSE).

Formats:
  table (default) fixed columns, a loopback IPv4 line fits 80 columns;
  ndjson one JSON object per line: time (ISO, ms), netns, netnsName, family,
  local {address, port}, remote, oldState, newState, inOldStateMs, owner
  {pid, comm} or null with ownerUnknown, socket (the kernel's socket address,
  the same for one socket's changes). --closes objects have kind "close" or
  "time-wait". A summary (changes seen, shown, lost) goes to stderr at the end.

Lost changes:
  The program writes to a 4 MB ring buffer; when sockdoc cannot keep up the
  kernel drops changes and counts them. The kernel also skips the program
  when a change comes in softirq while it runs on the same CPU for another
  (its recursion misses). Both are reported on stderr as they happen and in
  the summary.

Requirements:
  root, or CAP_BPF and CAP_PERFMON (exit 4 otherwise, one line); a kernel
  with BTF (/sys/kernel/btf/vmlinux) and the tracepoint (Linux 5.8 or later
  for the ring buffer). Nothing is compiled: the program is assembled by
  sockdoc's addon. It is attached only while sockdoc runs (named
  sockdoc_tcpst in bpftool prog show); exit, Ctrl-C or a crash detach it.

Examples:
  sudo sockdoc trace state close-wait
  sudo sockdoc trace --all-netns --format ndjson dport = :443
  sudo sockdoc trace --closes --duration 30

Exit status: 0 ok (Ctrl-C, --duration or --count ends it); 2 usage; 3 the
tracer cannot run on this kernel; 4 not permitted.`;
