import assert from "node:assert/strict";
import { constants } from "node:os";
import { describe, it } from "node:test";
import { AuditWriteError } from "../../../src/actions/kill/audit-log.js";
import {
  auditStopLine,
  effectLines,
  endLines,
  headerLines,
  ownerNames,
  problemLines,
  type RunEnd,
} from "../../../src/actions/kill/report-text.js";
import type { KillOutcome, KillResult } from "../../../src/actions/kill/types.js";
import type { TcpSocket } from "../../../src/model/socket.js";
import { TcpState } from "../../../src/model/tcp-state.js";
import { sock, support } from "./make.js";

const r = (socket: TcpSocket, outcome: KillOutcome, errno: number | null = null): KillResult => ({
  socket,
  outcome,
  errno,
});
const node = { pid: 4242, comm: "node", fd: 19 };
const java = { pid: 77, comm: "java", fd: 5 };

describe("headerLines", () => {
  it("says what matched and what the kernel supports, before anything else", () => {
    const lines = headerLines(
      3,
      "state close-wait",
      "netlink sock_diag",
      support("supported", "unsupported"),
    );
    assert.deepEqual(lines, [
      '3 sockets match "state close-wait" (read by netlink sock_diag)',
      "SOCK_DESTROY: supported by this kernel (probe: destroy supported)",
      "TIME_WAIT destroy: NOT supported by this kernel (probe: time-wait unsupported)",
    ]);
  });
  it("leaves TIME_WAIT out when it was not probed", () => {
    assert.equal(headerLines(1, "x", "y", support("unknown")).length, 2);
  });
});

describe("effectLines", () => {
  const cases: Array<{ name: string; sockets: TcpSocket[]; has: RegExp[]; hasNot: RegExp[] }> = [
    {
      name: "CLOSE_WAIT with an owner: RST to the peer, ECONNABORTED to the owner",
      sockets: [sock({ owners: [node] }), sock({ owners: [node] })],
      has: [/reset \(RST\)/, /node \(pid 4242\)/, /ECONNABORTED/, /no process is killed/],
      hasNot: [/TIME_WAIT/, /not yet accepted/, /LISTEN/],
    },
    {
      name: "TIME_WAIT only: no peer reset, no owner",
      sockets: [sock({ state: TcpState.TIME_WAIT })],
      has: [/1 TIME_WAIT socket: no process holds them/],
      hasNot: [/RST/, /ECONNABORTED/],
    },
    {
      name: "not yet accepted (inode 0)",
      sockets: [sock({ inode: 0 })],
      has: [/RST/, /1 socket not yet accepted/],
      hasNot: [/ECONNABORTED/],
    },
    {
      name: "orphaned FIN_WAIT2 and LAST_ACK (inode 0 after close()) are not called not yet accepted",
      sockets: [
        sock({ state: TcpState.FIN_WAIT2, inode: 0 }),
        sock({ state: TcpState.LAST_ACK, inode: 0 }),
        sock({ state: TcpState.CLOSE_WAIT, inode: 0 }),
      ],
      has: [/2 orphaned sockets \(no fd: the application already closed them/, /1 socket not yet accepted/],
      hasNot: [/[23] sockets not yet accepted/, /ECONNABORTED/],
    },
    {
      name: "a listener (with --force)",
      sockets: [sock({ state: TcpState.LISTEN, owners: [node] })],
      has: [/1 LISTEN socket: the service stops accepting/],
      hasNot: [/RST/],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = effectLines(c.sockets.map((s) => r(s, "would-close"))).join("\n");
      for (const re of c.has) assert.match(text, re);
      for (const re of c.hasNot) assert.doesNotMatch(text, re);
    });
  }
});

describe("problemLines", () => {
  it("names CONFIG_INET_DIAG_DESTROY, ss -K and the owner to restart when the kernel cannot", () => {
    const text = problemLines([r(sock({ owners: [java] }), "unsupported")], null).join("\n");
    assert.match(text, /CONFIG_INET_DIAG_DESTROY/);
    assert.match(text, /ss -K/);
    assert.match(text, /restart the owner \(java \(pid 77\)\)/);
  });
  it("tells TIME_WAIT sockets to wait when only those cannot be destroyed", () => {
    const text = problemLines([r(sock({ state: TcpState.TIME_WAIT }), "unsupported")], null).join("\n");
    assert.match(text, /1 TIME_WAIT socket not closed: .*within 60 s/);
    assert.doesNotMatch(text, /restart/);
  });
  it("gives the sudo command, on its own line, when not permitted", () => {
    const lines = problemLines([r(sock(), "denied", constants.errno.EPERM)], "sudo sockdoc kill x --yes");
    assert.match(lines[0] ?? "", /not permitted \(EPERM\).*CAP_NET_ADMIN/);
    assert.equal(lines[1], "  sudo sockdoc kill x --yes");
  });
  it("explains EPERM with the capability present (namespaces, security modules)", () => {
    const text = problemLines([r(sock(), "denied", constants.errno.EPERM)], null).join("\n");
    assert.match(text, /although this process has CAP_NET_ADMIN/);
  });
  it("groups other errnos by name", () => {
    const lines = problemLines(
      [
        r(sock(), "failed", constants.errno.EINVAL),
        r(sock(), "failed", constants.errno.EINVAL),
        r(sock(), "closed", 0),
      ],
      null,
    );
    assert.deepEqual(lines, ["2 sockets not closed: the kernel answered EINVAL."]);
  });
  it("has nothing to say when everything closed or was gone", () => {
    assert.deepEqual(problemLines([r(sock(), "closed", 0), r(sock(), "gone", 2)], null), []);
  });
});

describe("endLines", () => {
  const end = (over: Partial<RunEnd>): RunEnd => ({
    dryRun: true,
    canAct: true,
    rerun: "sockdoc kill state close-wait --yes",
    audit: null,
    ...over,
  });
  it("dry run: nothing closed, and the command that would", () => {
    assert.deepEqual(endLines([r(sock(), "would-close")], end({})), [
      "Dry run: nothing was closed. To close them:",
      "  sockdoc kill state close-wait --yes",
    ]);
  });
  it("dry run without the capability: the sudo command", () => {
    const lines = endLines(
      [r(sock(), "would-close")],
      end({ canAct: false, rerun: "sudo sockdoc kill y --yes" }),
    );
    assert.match(lines[0] ?? "", /needs CAP_NET_ADMIN/);
    assert.equal(lines[1], "  sudo sockdoc kill y --yes");
  });
  it("dry run where nothing can be closed says so", () => {
    assert.match(endLines([r(sock(), "unsupported")], end({})).join(""), /cannot close any/);
  });
  it("after acting: counts and the audit trail", () => {
    const results = [
      r(sock(), "closed", 0),
      r(sock(), "closed", 0),
      r(sock(), "gone", 2),
      r(sock(), "denied", 1),
    ];
    const lines = endLines(
      results,
      end({ dryRun: false, audit: { path: "/tmp/k.log", records: 8, journal: "sent" } }),
    );
    assert.equal(
      lines[0],
      "Closed 2 of 4 sockets; 1 already gone (closed meanwhile, or replaced: left alone); 1 not closed.",
    );
    assert.equal(
      lines[1],
      "Audit: 8 records (intent and outcome per socket) appended to /tmp/k.log and sent to the journal (logger -t sockdoc).",
    );
  });
  it("says when the journal copy failed", () => {
    const lines = endLines(
      [r(sock(), "closed", 0)],
      end({ dryRun: false, audit: { path: "/a", records: 2, journal: "logger failed: no /dev/log" } }),
    );
    assert.equal(
      lines[1],
      "Audit: 2 records (intent and outcome per socket) appended to /a (journal: logger failed: no /dev/log).",
    );
  });
});

describe("auditStopLine", () => {
  const failure = new AuditWriteError("/var/log/k.log", "ENOSPC");
  it("says nothing was closed when no socket was", () => {
    const results = [r(sock(), "stopped"), r(sock(), "stopped")];
    assert.equal(
      auditStopLine("/var/log/k.log", failure, results),
      "cannot write the audit log /var/log/k.log (ENOSPC); nothing was closed; choose another with --audit-log FILE",
    );
  });
  it("counts what was closed before the stop and what was not attempted", () => {
    const results = [
      r(sock(), "closed", 0),
      r(sock(), "gone", 2),
      r(sock(), "stopped"),
      r(sock(), "stopped"),
    ];
    assert.equal(
      auditStopLine("/var/log/k.log", failure, results),
      "cannot write the audit log /var/log/k.log (ENOSPC) after closing 1 socket (listed above as closed, " +
        "each with its intent record in the log); stopped: 2 not attempted; choose another with --audit-log FILE",
    );
  });
  it("says the outcomes are missing when the last group's could not be written", () => {
    assert.match(
      auditStopLine("/l", failure, [r(sock(), "closed", 0)]),
      /after closing 1 socket .*; their outcomes are not in it; choose another/,
    );
  });
  it("problemLines says why the rest were not attempted", () => {
    assert.deepEqual(problemLines([r(sock(), "closed", 0), r(sock(), "stopped")], null), [
      "1 socket not attempted: the run stopped when the audit log could not be written.",
    ]);
  });
});

describe("ownerNames", () => {
  it("names each owner once", () => {
    const results = [sock({ owners: [node] }), sock({ owners: [node, java] }), sock({ owners: null })].map(
      (s) => r(s, "closed"),
    );
    assert.equal(ownerNames(results), "node (pid 4242), java (pid 77)");
  });
});
