/**
 * @module The long help of `sockdoc closewait`: what it reports, the cause
 * codes, sampling, severities (the numbers come from severity.ts), exit
 * status, the JSON shape and examples.
 */
import { THRESHOLDS } from "../../analysis/close-wait/severity.js";

export const CLOSEWAIT_DESCRIPTION = `Explain the CLOSE_WAIT sockets on this host: who holds them, since when, why,
and what to do.

A socket in CLOSE_WAIT has received its peer's FIN; the local application has
not called close(). No timer ever ends this state: the socket and its fd stay
until the application closes them or exits. sockdoc groups these sockets by
owning process (pid, name, command line, user, systemd unit or container), then
by server port (inbound) or remote service port (outbound), then by cause, and
shows the owner's threads (state and kernel wait channel) and open-files usage.`;

export const CLOSEWAIT_HELP = `
Causes (JSON "cause"), read from each socket's Recv-Q and inode:
  eof-not-closed  Recv-Q 0: the application read the end of the stream and did
                  not close: a missing close(), a leaked connection object, a
                  pool that does not release dead connections.
  fin-unread      Recv-Q 1 (the FIN itself): nobody reads the socket: the
                  reading thread is stuck, the socket is paused, or the
                  connection sits idle in a pool.
  data-unread     Recv-Q > 1: unread data plus the FIN: a reader that stopped
                  early (a response body never consumed).
  not-accepted    no fd (inode 0): still in the listener's accept queue; the
                  listener's queue length (its Recv-Q) and backlog (its Send-Q
                  in netlink; /proc does not show it) are shown. The accept
                  loop is stuck or too slow.
  Runtime hints (java, node, python, go, nginx, ruby, php, dotnet, apache,
  haproxy, envoy) name the usual culprits in that runtime; they are hints,
  not verdicts.

Sampling:
  --interval S --count N takes N samples S seconds apart and reports, per
  process: new and gone sockets, the age of the oldest one (counted from the
  first sample that saw it), growth per minute (least squares) and when the
  process reaches its open-files limit (/proc/PID/limits) at that rate.
  --watch keeps sampling (every --interval, default 5 s) until Ctrl-C or
  --count samples, printing the report after each sample.

Severity (per group; the report's is the worst):
  critical  >= ${THRESHOLDS.criticalCount} sockets; or the owner uses >= ${THRESHOLDS.criticalFdShare * 100}% of its open-files limit;
            or at the measured growth it reaches that limit within ${THRESHOLDS.criticalEtaSeconds / 60} min;
            or the listener's accept queue is full (connections are dropped)
  warning   >= ${THRESHOLDS.warningCount} sockets; or growing during the samples; or the owner
            uses >= ${THRESHOLDS.warningFdShare * 100}% of its open-files limit; or connections wait
            un-accepted
  info      any other CLOSE_WAIT socket

Remedies, most lasting first: fix the application (the evidence above says
where); close the sockets now with the printed \`sockdoc kill FILTER\` (the peer
gets a reset, the application keeps its fd and gets ECONNABORTED on its next
call); restart the systemd unit or container (the leak comes back).

Exact ages: while \`sockdoc watch\` runs its BPF tracer on the history
database (--db, else watch's default), closewait ends with each socket's time
in CLOSE_WAIT: "exact" where the tracer saw it enter, "at least" (since the
tracer started) for the others; JSON "closeWaitAges".

Without root, sockets of other users' processes are still counted and
classified; their owner is shown as unknown with a note saying so.

Exit status:
  0  done (findings below --fail-on, or no --fail-on)
  1  a group reached the --fail-on severity
  2  usage error   3  input could not be read   4  not permitted

JSON (--json): {schema, host, source, takenAt, warnings, total, severity,
failOn, sampling, groups: [{owner: {pid, comm, cmdline, user, unit} | null,
localPort, count, recvQ: {min, max}, cause, fds, hint, ownerNote, uid,
sharedWith, direction, peerPort, peers, why, runtime, listener, severity,
reasons, growth, remedies}], processes: [{pid, comm, cmdline, user, uid, unit,
container, runtime, closeWait, fdCount, fdLimit, threads, growth}]}.
localPort is null for outbound groups (their peerPort is set instead).
--format ndjson prints one group per line; csv one row per group.`;

export const CLOSEWAIT_EXAMPLES = `
Examples:
  sockdoc closewait
  sockdoc closewait sport = :8080
  sockdoc closewait --interval 10 --count 6
  sockdoc closewait --watch --interval 30
  sockdoc closewait --fail-on warning --json > closewait.json`;
