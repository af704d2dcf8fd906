/**
 * @module The help texts of `sockdoc tune` and its subcommands: what each
 * does, the Linux facts the advice rests on, examples and exit codes.
 */
import { APPLY_ALLOWLIST } from "../../analysis/advisor/known-settings.js";
import { DEFAULT_JOURNAL } from "../../actions/tune/journal.js";
import { DEFAULT_PERSIST_FILE } from "../../actions/tune/persist-text.js";
import { wrap } from "../../report/wrap.js";

export const TUNE_DESCRIPTION = `Kernel settings around CLOSE_WAIT and TIME_WAIT: advice for this host, a lint
of the sysctl config files, and a safe way to change settings (a dry run
first, old values journaled before anything is written, a failed batch put
back whole, and a rollback). With no command, runs "advise".`;

export const TUNE_HELP = `
What the advice rests on (Linux):
  TIME_WAIT lasts 60 s (TCP_TIMEWAIT_LEN), fixed in the kernel: no sysctl
    shortens it. net.ipv4.tcp_fin_timeout is NOT its length: it is how long
    an orphaned socket waits in FIN_WAIT_2.
  net.ipv4.tcp_tw_reuse: 0 off, 1 on, 2 loopback only (the default since
    4.18). Lets connect() reuse a port in TIME_WAIT (after tcp_tw_reuse_delay
    ms, Linux 6.14+, about 1 s before). Outgoing connections only; needs TCP
    timestamps (net.ipv4.tcp_timestamps).
  net.ipv4.tcp_tw_recycle was removed in Linux 4.12 (it broke clients behind
    NAT); a leftover config line makes \`sysctl -p\` fail with "cannot stat".
  net.ipv4.tcp_max_tw_buckets caps TIME_WAIT sockets; past it connections
    skip TIME_WAIT (TcpExt.TCPTimeWaitOverflow).
  net.ipv4.ip_local_port_range (default 32768 60999) and
    ip_local_reserved_ports bound the ports of outgoing connections: about
    range / 60 s new connections per second to one destination.
  CLOSE_WAIT: no sysctl ends it, keepalive included; the application must
    close() (or \`sockdoc kill state close-wait\` clears them now).

Examples:
  sockdoc tune                        # advice for this host (= tune advise)
  sockdoc tune --json --fail-on warning
  sockdoc tune lint                   # /etc/sysctl.conf, /etc/sysctl.d/...
  sockdoc tune apply net.ipv4.tcp_tw_reuse=1      # dry run: old -> new
  sudo sockdoc tune apply net.ipv4.tcp_tw_reuse=1 --yes --persist
  sudo sockdoc tune rollback --yes    # undo the last apply
  sockdoc tune history

Exit status: 0 ok; 1 findings at or above --fail-on (advise, lint), or a
change failed (apply, rollback: the batch was put back); 2 usage error or a
refused change; 3 input could not be read (journal, files); 4 not permitted
(the message has the sudo command to run).`;

export const ADVISE_HELP = `
Reads the running kernel's settings (/proc/sys), the TcpExt counters
(/proc/net/netstat), the sockets (TIME_WAIT per destination as in \`sockdoc
timewait\`, CLOSE_WAIT, listeners' accept queues) and the sysctl config files,
and says which settings to change and why. Each finding has the exact
\`sockdoc tune apply NAME=VALUE\` line to run (a dry run until --yes).
Advice depends on the kernel version (tcp_tw_recycle before/after 4.12,
tcp_tw_reuse 2 since 4.18, tcp_tw_reuse_delay since 6.14, somaxconn 4096
since 5.4).

Rules: tcp_tw_recycle (on, or left in config); tcp_tw_reuse (1 only when
outgoing connections run a destination out of ports); tcp_timestamps off;
ip_local_port_range too narrow for that load; tcp_max_tw_buckets near full or
overflowed; tcp_fin_timeout changed as if it were TIME_WAIT's length;
somaxconn / tcp_max_syn_backlog when accept queues overflow (netlink only);
CLOSE_WAIT (no sysctl fixes it). tcp_tw_reuse and tcp_fin_timeout are
explained as \`tune lint\` does (what they do on this kernel, and what they do
not) at the FILE:LINE of the config line that sets them, or for a running
value away from the default (tcp_tw_reuse other than 2, 0 before 4.18;
tcp_fin_timeout other than 60).

Severity: critical (breaks connections now, or ports run out within the
minute), warning (will hurt under this load, or a setting that silently does
nothing), info (worth knowing).

Examples:
  sockdoc tune advise
  sockdoc tune advise --json
  sockdoc tune advise --input sosreport-web1/ --fail-on critical
  sudo ip netns exec blue sockdoc tune advise

Exit status: 0 ok; 1 a finding at or above --fail-on; 2 usage error;
3 input could not be read; 4 not permitted.`;

export const LINT_HELP = `
Reads the sysctl config files in the order \`sysctl --system\` and
systemd-sysctl load them: *.conf in /etc/sysctl.d, /run/sysctl.d,
/usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d (not hidden ones,
starting with "."; a file name in an earlier directory replaces the same name
in a later one; the files are read in lexical order of their names), then
/etc/sysctl.conf. The later assignment of a key wins. Running values come
from <root>/proc/sys.

Findings (FILE:LINE):
  removed-key    tcp_tw_recycle (gone in 4.12): \`sysctl -p\` fails with
                 "cannot stat" unless the line starts with "-"
  explained      info at each tcp_tw_reuse and tcp_fin_timeout line: what it
                 does on this kernel (tw_reuse: outgoing connections only,
                 needs timestamps, 2 is the default since 4.18, nothing for
                 server-side TIME_WAIT; fin_timeout: the FIN_WAIT_2 orphan
                 timeout, not the TIME_WAIT length)
  missing-key    a key this kernel does not have (same failure)
  bad-value      a value the kernel refuses (EINVAL): not a number, out of
                 bounds, a port range with LOW > HIGH or below
                 ip_unprivileged_port_start, a bad reserved ports list
  trailing-text  text after the value ("#" is a comment only at line start)
  overridden     a key set again later with another value: says which wins
  drift          the config's value differs from the running one (config not
                 applied yet, or changed at run time)
  syntax         a line sysctl cannot read; shadowed-file: a file never read

Examples:
  sockdoc tune lint
  sockdoc tune lint --root /mnt/image --fail-on warning
  sockdoc tune lint --json

Exit status: 0 ok; 1 a finding at or above --fail-on; 2 usage error;
3 input could not be read (or --root is not a directory); 4 not permitted.`;

export const APPLY_HELP = `
Without --yes this is a dry run: it prints each setting's current and new
value and writes nothing. With --yes, as root: the old values go to the
journal first (${DEFAULT_JOURNAL}: time, user, host,
network namespace, name, old, new), then each value is written to /proc/sys
and read back. If one fails (the kernel refuses it, or it reads back
different), the ones already written are put back and the rest are not tried.
Values are lost at reboot unless --persist writes them to a sysctl.d file
(default ${DEFAULT_PERSIST_FILE}; its previous content is journaled; a
symlink is written through). If that file cannot be written, the values are
put back too. One apply or rollback at a time: a second one, while the lock
beside the journal (JOURNAL.lock) is held, stops at once (exit 3). A journal
rollback would refuse (see \`sockdoc tune rollback --help\`: writable by
others, or in a directory others can write, like /tmp) is refused first (exit 3).

net.* settings belong to a network namespace: run inside one with
\`ip netns exec NAME sockdoc tune apply ...\` to change that namespace only.
fs.file-max, fs.nr_open and net.ipv4.tcp_max_orphans are host-wide.

Settings written without --force:
${wrap(APPLY_ALLOWLIST.join(", "), 78, "  ").join("\n")}
net.ipv4.tcp_tw_recycle is always refused (removed in 4.12; broke NAT).
Values the kernel would refuse are refused first (exit 2).

Outcomes: would-apply (dry run), unchanged (already so), applied, failed,
restored (put back after another failed), restore-failed, skipped.

Examples:
  sockdoc tune apply net.ipv4.tcp_tw_reuse=1
  sudo sockdoc tune apply net.ipv4.tcp_tw_reuse=1 \\
    'net.ipv4.ip_local_port_range=10240 65535' --yes
  sudo sockdoc tune apply net.core.somaxconn=8192 --yes --persist
  sudo ip netns exec blue sockdoc tune apply net.ipv4.tcp_fin_timeout=30 --yes

Exit status: 0 applied (or a dry run); 1 a write failed (the batch was put
back); 2 refused or bad usage; 3 the journal or a file could not be read or
written (the batch was put back), or another apply or rollback is running;
4 not root (the message has the sudo command).`;

export const ROLLBACK_HELP = `
Restores the old values of the last apply batch in the journal that is not
rolled back yet (or the one --batch names), and the --persist file's previous
content if that batch wrote one. A dry run unless --yes. The rollback is
journaled as a batch of its own, so rolling back twice undoes two applies.

It writes only what apply may write: a setting outside apply's list (say,
kernel.core_pattern, where a "|program" runs as root at the next crash) is
refused unless --force, tcp_tw_recycle always, and values the kernel would
refuse too (exit 2). The journal decides what root writes, so it must be a
regular file owned by root (or by the user running sockdoc), and neither it
nor its directory writable by group or others (a journal in /tmp is refused):
exit 3, before anything is read or written; --force does not change that.

Refused without --force: a value changed since the batch by something else
(neither the batch's new value nor its old one); a batch applied in another
network namespace or under another root (run the rollback there).

A rollback that was killed midway (outcomes missing from the journal) does
not count: the batch it was undoing is rolled back again.

Examples:
  sockdoc tune rollback
  sudo sockdoc tune rollback --yes
  sudo sockdoc tune rollback --batch 20250102T030405Z-1a2b --yes

Exit status: 0 restored (or a dry run); 1 a write failed (the rollback was
put back); 2 refused, nothing to roll back, or bad usage; 3 no journal, a
journal others could have written, the journal or a file could not be read or
written, or another apply or rollback is running; 4 not root.`;

export const HISTORY_HELP = `
Lists the batches in the journal, oldest first: each change (old -> new) and
its outcome, and files --persist wrote. --json adds who, when, where and the
network namespace. No journal yet means no changes yet (exit 0).

Examples:
  sockdoc tune history
  sockdoc tune history --limit 5 --json

Exit status: 0 ok; 2 usage error; 3 the journal could not be read (or holds
no record sockdoc wrote); 4 not permitted to read it.`;
