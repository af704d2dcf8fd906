/**
 * @module The help text of `sockdoc kill`: what it does and does not do,
 * its refusals, outcomes and exit codes (the contract scripts rely on).
 */

export const KILL_HELP = `
Without --yes this is a dry run: it lists the sockets (with their owners) and
what closing would do. On a terminal it then asks "Close N sockets? [y/N]";
--dry-run never asks. Closing a socket sends its peer a reset (RST); the owning
process is not killed or signalled: its fd stays open and its next call on it
fails with ECONNABORTED. Support is probed first and said up front: SOCK_DESTROY
(CONFIG_INET_DIAG_DESTROY) by destroying a socket that cannot exist, TIME_WAIT
(when matched) by destroying a TIME_WAIT socket sockdoc makes on loopback.
Sockets are read over netlink only (the cookie makes each destroy exact: a
socket replaced since the read is left alone and reported "gone").

Refused without --force (exit 2), before anything is read: no filter; a filter
that can match LISTEN sockets; a filter that can match ESTABLISHED sockets with
no address or exact port to narrow them ("exclude listen", "state connected",
"state established dport != :22": live connections wholesale, your own SSH
session among them). After reading: more than --max sockets.

Audit: nothing is closed without a record. For each socket an "intent" record
(JSON line: time, user, 4-tuple, state, inode, cookie, owners) is written and
fsynced to the audit log before SOCK_DESTROY is asked, then an "outcome" record
with what the kernel answered (in groups of up to 256 sockets: two fsyncs per
group). An intent without an outcome means "possibly closed". A log that cannot
be opened or written (full, read-only) stops the run: before the first destroy,
nothing is closed (exit 3, one line); later, the sockets closed so far are
listed, the rest are "stopped", and the run exits 3. The records also go to the
journal (tag sockdoc) when \`logger\` is installed.

Outcomes: closed, gone (already closed or replaced), unsupported (this kernel
cannot), denied (not permitted), failed (another errno), would-close (dry run),
stopped (not attempted: the audit log could not be written).

Exit status: 0 every socket closed or already gone, or a dry run where all
would close (also when nothing matched); 1 some were not (or would not be)
closed; 2 refused or bad usage; 3 native addon missing, netlink or the audit
log unusable; 4 --yes without CAP_NET_ADMIN (the message has the sudo command).

Examples:
  sockdoc kill state close-wait sport = :8080          # dry run, lists owners
  sudo sockdoc kill state close-wait sport = :8080 --yes
  sudo sockdoc kill state time-wait dport = :5432 --max 50000 --yes
`;
