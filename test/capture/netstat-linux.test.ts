import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNetstatLinux } from "../../src/capture/netstat-linux.js";
import { InputError } from "../../src/model/errors.js";
import { TcpState } from "../../src/model/tcp-state.js";
import { assertNeverCrashes, capture, counts, rowAt } from "./netstat-test-kit.js";

// Per-state counts checked by hand in shared/captures/README.md, and whether the capture has a PID column.
const CAPTURES: Array<[string, Record<string, number>, boolean]> = [
  [
    "datadog-integrations-core__netstat_linux_all_states.txt",
    { ESTABLISHED: 2, SYN_SENT: 1, SYN_RECV: 1, TIME_WAIT: 3, LISTEN: 3, CLOSING: 3 },
    false,
  ],
  ["insights-core__netstat-neopa_malformed_no_pid_header.txt", { LISTEN: 4 }, false],
  ["insights-core__netstat-neopa_syn_recv.txt", { ESTABLISHED: 1, SYN_RECV: 1, LISTEN: 4 }, true],
  ["jaminzhang-blog__netstat-lntp_centos6_truncated_program.txt", { LISTEN: 14 }, true],
  ["jc__generic_netstat-old.txt", { LISTEN: 1 }, true],
  ["jc__ubuntu1804_netstat-lnp_program_spaces.txt", { LISTEN: 17 }, true],
  ["perl-Parse-Netstat__netstat-an6-linux.txt", { LISTEN: 1 }, false],
];

const HEADER = "Proto Recv-Q Send-Q Local Address           Foreign Address         State";

describe("parseNetstatLinux on the shared captures", () => {
  for (const [name, expected, withPid] of CAPTURES) {
    it(`counts ${name} as the README does`, () => {
      const result = parseNetstatLinux(capture(name), name);
      assert.deepEqual(counts(result.sockets), expected);
      assert.deepEqual(result.warnings, []);
      assert.equal(result.ownersKnown, withPid);
      assert.ok(result.sockets.every((s) => (s.owners !== null) === withPid && s.cookie === null));
    });
  }

  it("reads -neopa rows: uid, inode, owners with spaces, and the SYN_RECV row's '-' owner and timer", () => {
    const { sockets } = parseNetstatLinux(capture("insights-core__netstat-neopa_syn_recv.txt"), "syn");
    assert.deepEqual(rowAt(sockets, "10.24.1.245", 80), {
      family: 4,
      state: TcpState.SYN_RECV,
      local: { address: "10.24.1.245", port: 80 },
      remote: { address: "10.24.36.145", port: 32790 },
      recvQ: 0,
      sendQ: 0,
      timer: { kind: "on", expiresMs: 790, retrans: 0 },
      uid: 0,
      inode: 0,
      cookie: null,
      owners: [],
    });
    const passenger = rowAt(sockets, "127.0.0.1", 53644);
    assert.deepEqual(passenger.owners, [{ pid: 12387, comm: "Passenger Rac", fd: null }]);
    assert.equal(passenger.uid, 995);
    assert.equal(passenger.inode, 1154674);
    assert.equal(passenger.timer, null, "off (0.00/0/0) is no timer");
  });

  it("keeps tcp6 rows with IPv4 addresses (family from the text) and the Send-Q of listeners", () => {
    const { sockets } = parseNetstatLinux(capture(CAPTURES[0]![0]), "dd");
    assert.equal(rowAt(sockets, "127.0.0.1", 42395).family, 4);
    assert.deepEqual(rowAt(sockets, "::", 6380).remote, { address: "::", port: 0 });
    assert.equal(rowAt(sockets, "::", 6380).family, 6);
    assert.equal(rowAt(sockets, "0.0.0.0", 6379).sendQ, 128);
  });

  it("reads User/Inode without a PID column: uid and inode, owners unknown", () => {
    const name = "insights-core__netstat-neopa_malformed_no_pid_header.txt";
    const s = rowAt(parseNetstatLinux(capture(name), name).sockets, "::1", 5432);
    assert.deepEqual([s.family, s.uid, s.inode, s.owners], [6, 26, 14071, null]);
  });

  it("reads headerless -lntp rows and program names with spaces", () => {
    const blog = parseNetstatLinux(capture(CAPTURES[3]![0]), "blog").sockets;
    assert.deepEqual(rowAt(blog, "10.2.80.224", 20832).owners, [
      { pid: 15434, comm: "./center_s999", fd: null },
    ]);
    const jc = parseNetstatLinux(capture(CAPTURES[5]![0]), "jc").sockets;
    assert.deepEqual(rowAt(jc, "0.0.0.0", 9000).owners, [{ pid: 1187, comm: "pgpool: watchd", fd: null }]);
    assert.deepEqual(rowAt(jc, "0.0.0.0", 10050).owners, [{ pid: 1817931, comm: "zabbix_agen", fd: null }]);
  });
});

describe("parseNetstatLinux on other layouts", () => {
  it("reads every Timer kind of -tanpo", () => {
    const text = [
      `${HEADER}       PID/Program name     Timer`,
      "tcp        0      0 10.0.0.1:80             10.0.0.2:5000           TIME_WAIT   -                    timewait (52.34/0/0)",
      "tcp        3      0 10.0.0.1:80             10.0.0.2:5001           ESTABLISHED 42/nginx: worker     keepalive (7194.55/0/2)",
      "tcp        0    517 10.0.0.1:80             10.0.0.2:5002           ESTABLISHED 42/nginx: worker     on (0.20/3/0)",
      "tcp        0      0 10.0.0.1:80             10.0.0.2:5003           ESTABLISHED 42/nginx: worker     probe (1.50/0/4)",
      "tcp        1      0 10.0.0.1:41000          10.0.0.3:5432           CLOSE_WAIT  77/app               off (0.00/0/0)",
    ].join("\n");
    const { sockets, warnings } = parseNetstatLinux(text, "o.txt");
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      sockets.map((s) => s.timer),
      [
        { kind: "timewait", expiresMs: 52340, retrans: 0 },
        { kind: "keepalive", expiresMs: 7194550, retrans: 2 },
        { kind: "on", expiresMs: 200, retrans: 3 },
        { kind: "persist", expiresMs: 1500, retrans: 4 },
        null,
      ],
    );
    // TIME_WAIT: no process can hold it, so null even under a PID column.
    assert.equal(sockets[0]!.owners, null);
    assert.deepEqual(sockets[4]!.owners, [{ pid: 77, comm: "app", fd: null }]);
    assert.deepEqual(sockets[1]!.owners, [{ pid: 42, comm: "nginx: worker", fd: null }]);
    assert.deepEqual([sockets[1]!.recvQ, sockets[2]!.sendQ, sockets[4]!.recvQ], [3, 517, 1]);
  });

  it("reads a user name (-e without -n) as an unknown uid", () => {
    const text = `${HEADER}       User       Inode\ntcp 0 0 127.0.0.1:25 0.0.0.0:* LISTEN root 1234\n`;
    const [s] = parseNetstatLinux(text, "e.txt").sockets;
    assert.deepEqual([s!.uid, s!.inode], [null, 1234]);
  });

  it("guesses User, Inode, PID and Timer columns of headerless rows", () => {
    const text = "tcp 0 0 10.0.0.1:22 10.0.0.9:5000 ESTABLISHED 0 4242 900/sshd: root@pts off (0.00/0/0)\n";
    const [s] = parseNetstatLinux(text, "h.txt").sockets;
    assert.deepEqual(
      [s!.uid, s!.inode, s!.owners],
      [0, 4242, [{ pid: 900, comm: "sshd: root@pts", fd: null }]],
    );
  });

  it("says owners are unknown when netstat -p ran without root", () => {
    const none = `(No info could be read for "-p": geteuid()=1000 but you should be root.)\n${HEADER} PID/Program name\ntcp 0 0 10.0.0.1:80 10.0.0.2:9 CLOSE_WAIT -\n`;
    const r = parseNetstatLinux(none, "n.txt");
    assert.equal(r.ownersKnown, false);
    assert.equal(r.sockets[0]!.owners, null);
    assert.match(r.warnings.join("\n"), /without root/);
    const some = `(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n${HEADER} PID/Program name\ntcp 0 0 10.0.0.1:80 10.0.0.2:9 CLOSE_WAIT -\ntcp 0 0 10.0.0.1:81 10.0.0.2:9 CLOSE_WAIT 12/mine\n`;
    const p = parseNetstatLinux(some, "s.txt");
    assert.equal(p.ownersKnown, true);
    assert.deepEqual(
      p.sockets.map((s) => s.owners),
      [null, [{ pid: 12, comm: "mine", fd: null }]],
    );
    assert.match(p.warnings.join("\n"), /1 rows show no owner/);
  });

  it("skips unreadable TCP rows with origin:line warnings, capped at 20 plus a count", () => {
    const bad = Array.from({ length: 25 }, (_, i) => `tcp 0 0 localhost:s/sh 10.0.0.${i}:22 ESTABLISHED`);
    const text = [
      HEADER,
      "tcp 0 0 10.0.0.1:22 10.0.0.2:5000 ESTABLISHED",
      ...bad,
      "udp 0 0 0.0.0.0:68 0.0.0.0:*",
    ].join("\n");
    const { sockets, warnings } = parseNetstatLinux(text, "bad.txt");
    assert.equal(sockets.length, 1);
    assert.equal(warnings.length, 21);
    assert.equal(warnings[0], 'bad.txt:3: bad local address "localhost:s/sh"; row skipped');
    assert.equal(warnings[20], "bad.txt: 5 more TCP rows skipped");
  });

  it("throws InputError when TCP rows are there but none reads, and not when there are none", () => {
    assert.throws(
      () => parseNetstatLinux("tcp 0 0 10.0.0.1:1 10.0.0.2:2 WAITING\n", "w.txt"),
      (err: unknown) =>
        err instanceof InputError && /w\.txt: .*line 1: unknown state "WAITING"/.test(err.message),
    );
    assert.deepEqual(parseNetstatLinux("udp 0 0 0.0.0.0:68 0.0.0.0:*\n", "u.txt").sockets, []);
    assert.deepEqual(parseNetstatLinux("", "e.txt"), { sockets: [], warnings: [], ownersKnown: false });
  });
});

describe("parseNetstatLinux never crashes", () => {
  it("parses or throws InputError for any text", () => {
    const vocabulary = [
      "tcp",
      "tcp6",
      "udp",
      "unix",
      "Proto",
      "Recv-Q Send-Q Local Address Foreign Address State",
      "User Inode PID/Program name Timer",
      "0",
      "128",
      "127.0.0.1:80",
      "0.0.0.0:*",
      ":::*",
      "::ffff:10.0.0.1:443",
      "LISTEN",
      "ESTABLISHED",
      "TIME_WAIT",
      "CLOSE_WAIT",
      "-",
      "1/systemd",
      "off (0.00/0/0)",
      "timewait",
      "(52.34/0/0)",
      "keepalive (1.00/0/0)",
    ];
    assertNeverCrashes(
      parseNetstatLinux,
      vocabulary,
      CAPTURES.map(([name]) => capture(name)),
    );
  });
});

describe("parseNetstatLinux keeps rows whose PID/Program column is malformed", () => {
  const PROGRAM = `${HEADER}       PID/Program name`;
  const EXTENDED = `${HEADER}       User       Inode      PID/Program name`;
  const row = (tail: string) =>
    `tcp        0      0 10.0.0.1:27017          10.0.0.2:5000           CLOSE_WAIT  ${tail}`;
  const cases: Array<[string, string, unknown]> = [
    ["empty", `${PROGRAM}\n${row("")}`, []],
    ["a pid without program", `${PROGRAM}\n${row("1279")}`, [{ pid: 1279, comm: "?", fd: null }]],
    ["a program without pid", `${PROGRAM}\n${row("mongod")}`, null],
    ["a name with spaces and no pid", `${PROGRAM}\n${row("sshd: /usr/sbin")}`, null],
    [
      "a pid with a spaced name",
      `${PROGRAM}\n${row("1279/Passenger Rac")}`,
      [{ pid: 1279, comm: "Passenger Rac", fd: null }],
    ],
    [
      "-e, a pid without program",
      `${EXTENDED}\n${row("999 12345 1279")}`,
      [{ pid: 1279, comm: "?", fd: null }],
    ],
    ["-e, a program without pid", `${EXTENDED}\n${row("999 12345 mongod")}`, null],
    ["no header, a pid without program", row("1279"), [{ pid: 1279, comm: "?", fd: null }]],
    ["no header, a program without pid", row("mongod"), null],
  ];
  for (const [what, text, owners] of cases) {
    it(what, () => {
      const { sockets, warnings, ownersKnown } = parseNetstatLinux(text, "m.txt");
      assert.equal(sockets.length, 1, warnings.join("\n"));
      assert.equal(sockets[0]!.state, TcpState.CLOSE_WAIT);
      assert.deepEqual(sockets[0]!.owners, owners);
      assert.equal(ownersKnown, true);
      if (owners === null)
        assert.match(
          warnings.join("\n"),
          /gives no pid \("(mongod|sshd: \/usr\/sbin)"\): kept, owner unknown/,
        );
      if (what.includes("-e")) assert.deepEqual([sockets[0]!.uid, sockets[0]!.inode], [999, 12345]);
    });
  }
});
