/**
 * @module timewait's --help text: what it reports, how, and the columns.
 */
import { FILTER_HELP } from "../help-text.js";

export const DESCRIPTION = `Report TIME_WAIT sockets per destination: how many, how long they still last,
and for connections this host opened, how many ephemeral ports are left toward
that destination and when connect() would start failing at the current rate.`;

export const HELP = `
How it works:
  The side that closes a TCP connection first keeps its 4-tuple in TIME_WAIT
  for 60 s (TCP_TIMEWAIT_LEN, fixed in the kernel). The socket has no process
  and no fd. net.ipv4.tcp_fin_timeout is NOT this length: it is the timeout of
  orphaned FIN_WAIT_2 sockets.

  Outgoing ("out": the local port came from net.ipv4.ip_local_port_range and
  is not a listening port): this host was the client. connect() needs a local
  port not already used toward the same (source address, destination address,
  destination port), so ports run out per destination. Its budget is the
  range size, minus net.ipv4.ip_local_reserved_ports and listening ports
  inside the range. Without reuse a client sustains budget / 60 s new
  connections per second to one destination: 28232 / 60 = 470/s with the
  default range 32768-60999. Past that connect() fails with EADDRNOTAVAIL
  ("Cannot assign requested address"). Ports in use counts TIME_WAIT plus the
  sockets in other states on the same triple.

  Incoming ("in"): this host was the server and closed first. Grouped by
  (local address, local port, client address). Costs a little memory each,
  no ports.

  Rate and forecast: a TIME_WAIT socket's age is 60 s minus its time left, so
  the sockets younger than --window seconds give the current rate of closes.
  The forecast replays the next minute at that rate while the existing
  sockets expire at their known times. At a steady rate ports run out within
  one minute or not at all ("no": not on this course).

  net.ipv4.tcp_tw_reuse: 0 off; 1 on; 2 loopback only (the default since
  4.18). It lets connect() take over a port whose TIME_WAIT is older than
  net.ipv4.tcp_tw_reuse_delay (ms, default 1000, Linux 6.14+; about 1 s
  before). Outgoing connections only, and only with TCP timestamps
  (net.ipv4.tcp_timestamps). Where it applies, exhaustion is unlikely and
  the forecast uses that delay instead of 60 s.
  net.ipv4.tcp_tw_recycle was removed in Linux 4.12 (it broke clients behind
  NAT); a leftover line in sysctl.conf makes "sysctl -p" fail.
  net.ipv4.tcp_max_tw_buckets caps TIME_WAIT sockets (per network namespace);
  past it the kernel closes without TIME_WAIT (TcpExt TCPTimeWaitOverflow).

Columns:
  Destination  out: local address -> destination address:port
               in:  local address:port <- client address
  Side         out or in;  TW  TIME_WAIT sockets;  Left s  time left (min-max)
  Free         ports left toward the destination (out only)
  New/s        new TIME_WAIT per second over the window
  Fails in     when connect() fails at this rate: now, N s, or no

Severity (--fail-on exits 1 at or above it):
  critical  outgoing, and at the current rate connect() fails now or within
            the minute; or, without tcp_tw_reuse, under 5% of the ports left
  warning   outgoing, and half the ports or more are in use, or the rate is
            half or more of what the destination sustains; or TIME_WAIT is
            at 80% or more of tcp_max_tw_buckets
  info      anything else (every incoming group)

The filter picks the TIME_WAIT sockets reported (a state term other than
time-wait leaves nothing); sockets in other states are always read to count
ports in use.
${FILTER_HELP.split("\n\nExamples:")[0] ?? ""}

Examples:
  sockdoc timewait
  sockdoc timewait dport = :5432
  sockdoc timewait dst 10.0.0.0/8 --all --window 30
  sockdoc timewait --json --fail-on critical

Exit status: 0 ok; 1 a destination at or above --fail-on; 2 usage error;
3 input could not be read; 4 not permitted.`;
