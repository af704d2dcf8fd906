import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { Family } from "../../src/model/endpoint.js";
import { InputError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { stateBit, stateName, TcpState } from "../../src/model/tcp-state.js";
import { parseProcNetTcp, readProcNetTcp } from "../../src/sources/proc-net-tcp.js";
import { ProcFs } from "../../src/sources/procfs.js";
import { sockdoc } from "../support/run.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const captures = join(repoRoot, "..", "shared", "captures");
const host1 = join(repoRoot, "test", "fixtures", "proc", "host1");

function capture(name: string): string {
  return readFileSync(join(captures, name), "latin1");
}

function counts(sockets: TcpSocket[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of sockets) c[stateName(s.state)] = (c[stateName(s.state)] ?? 0) + 1;
  return c;
}

// Per-state counts checked by hand in /work/shared/captures/README.md. The
// README counts every printed row, so the duplicate rows sl 58/59 of the old
// shreyash dump both count (21 ESTABLISHED); the parser keeps them and warns.
const CAPTURES: Array<[string, Family, Record<string, number>]> = [
  [
    "jc__proc-net-tcp_concat_closewait.txt",
    4,
    { ESTABLISHED: 1, FIN_WAIT1: 6, TIME_WAIT: 15, CLOSE_WAIT: 1, LISTEN: 4 },
  ],
  [
    "shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt",
    4,
    { ESTABLISHED: 21, TIME_WAIT: 20, CLOSE_WAIT: 9, LISTEN: 10 },
  ],
  ["coreos-sosreport__proc-net-tcp.txt", 4, { ESTABLISHED: 7, LISTEN: 6 }],
  ["coreos-sosreport__proc-net-tcp6.txt", 6, { ESTABLISHED: 6, LISTEN: 9 }],
  ["jc__proc-net-tcp6_timewait.txt", 6, { TIME_WAIT: 7, LISTEN: 1 }],
  ["shreyash-Webpage__proc-net-tcp6_v4mapped.txt", 6, { ESTABLISHED: 2, LISTEN: 2 }],
];

/** Same rows with every single space doubled: breaks the fixed layout, so the tokenizer reads them. */
function respaced(text: string): string {
  return text.replace(/ /g, "  ");
}

describe("parseProcNetTcp on the shared captures", () => {
  for (const [name, family, expected] of CAPTURES) {
    it(`counts ${name} as the README does`, () => {
      const { sockets } = parseProcNetTcp(capture(name), family, name);
      assert.deepEqual(counts(sockets), expected);
      assert.ok(sockets.every((s) => s.family === family && s.owners === null && s.cookie === null));
    });

    it(`reads ${name} the same when the fixed layout is broken`, () => {
      const fast = parseProcNetTcp(capture(name), family, name);
      const slow = parseProcNetTcp(respaced(capture(name)), family, name);
      assert.deepEqual(slow.sockets, fast.sockets);
    });
  }

  it("reads the jc CLOSE_WAIT row field by field (second dump restarts sl, short TIME_WAIT rows)", () => {
    const name = "jc__proc-net-tcp_concat_closewait.txt";
    const { sockets, warnings } = parseProcNetTcp(capture(name), 4, name);
    assert.deepEqual(warnings, []);
    const cw = sockets.filter((s) => s.state === TcpState.CLOSE_WAIT);
    assert.deepEqual(cw, [
      {
        family: 4,
        state: TcpState.CLOSE_WAIT,
        local: { address: "192.168.42.128", port: 54352 },
        remote: { address: "152.199.4.33", port: 443 },
        recvQ: 0x52,
        sendQ: 0,
        timer: { kind: "keepalive", expiresMs: 0xa6f * 10, retrans: 0 },
        uid: 1000,
        inode: 149098,
        cookie: null,
        owners: null,
      },
    ]);
    // Row "2:" of the second dump: a TIME_WAIT row that ends after the pointer field.
    const tw = sockets.find((s) => s.remote.address === "104.244.42.65" && s.local.port === 0x97d0);
    assert.deepEqual(tw?.timer, { kind: "timewait", expiresMs: 0x7c5 * 10, retrans: 0 });
    assert.equal(tw?.inode, 0);
    assert.equal(tw?.state, TcpState.TIME_WAIT);
    const fin = sockets.find((s) => s.state === TcpState.FIN_WAIT1);
    assert.equal(fin?.sendQ, 1);
    assert.equal(fin?.timer?.kind, "on");
  });

  it("keeps the old dump's overflowing uid and warns once about the duplicate row", () => {
    const name = "shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt";
    const { sockets, warnings } = parseProcNetTcp(capture(name), 4, name);
    const sl51 = sockets.find((s) => s.inode === 10103927);
    assert.equal(sl51?.uid, 27198);
    assert.equal(sl51?.recvQ, 1);
    assert.equal(sl51?.remote.address, "172.31.1.1");
    assert.equal(sl51?.remote.port, 389);
    assert.equal(sockets.filter((s) => s.inode === 9925909).length, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /shreyash.*1 rows repeat/);
  });

  it("prints IPv4-mapped rows of tcp6 in mixed notation and decodes real IPv6 words", () => {
    const mapped = parseProcNetTcp(capture("shreyash-Webpage__proc-net-tcp6_v4mapped.txt"), 6).sockets;
    assert.deepEqual(mapped[3]?.local, { address: "::ffff:172.31.1.148", port: 22 });
    assert.deepEqual(mapped[3]?.remote, { address: "::ffff:172.23.147.50", port: 48634 });
    assert.equal(mapped[3]?.sendQ, 0x1b8c);
    assert.deepEqual(mapped[1]?.local, { address: "::1", port: 631 });
    const tw = parseProcNetTcp(capture("jc__proc-net-tcp6_timewait.txt"), 6).sockets;
    assert.deepEqual(tw[0]?.local, { address: "::", port: 22 });
    assert.deepEqual(tw[1]?.local, { address: "2601:646:9e01:f100::3a4c", port: 0xe700 });
    assert.deepEqual(tw[1]?.remote, { address: "2a03:2880:f131:83:face:b00c:0:25de", port: 80 });
  });

  it("reads keepalive probes from the timeout column and retransmits from retrnsmt", () => {
    const text = [
      "   0: 0100007F:0050 0100007F:C000 01 00000000:00000000 02:00000064 00000000     0        3 111 1 0 20 4 30 10 -1",
      "   1: 0100007F:0050 0100007F:C001 01 00000010:00000000 01:0000001E 00000002     0        0 112 1 0 20 4 30 10 -1",
      "   2: 0100007F:0050 0100007F:C002 01 00000000:00000000 04:00000005 00000000     0        1 113 1 0 20 4 30 10 -1",
      "   3: 0100007F:0050 0100007F:C003 01 00000000:00000000 00:00000000 00000000     0        0 114 1 0 20 4 30 10 -1",
    ].join("\n");
    const timers = parseProcNetTcp(text, 4).sockets.map((s) => s.timer);
    assert.deepEqual(timers, [
      { kind: "keepalive", expiresMs: 1000, retrans: 3 },
      { kind: "on", expiresMs: 300, retrans: 2 },
      { kind: "persist", expiresMs: 50, retrans: 1 },
      null,
    ]);
  });

  it("treats an old kernel's negative (already due) timer as 0 ms", () => {
    const row =
      "   0: 0100007F:0050 0100007F:C000 06 00000000:00000000 03:FFFFFFFFFFFFFFF6 00000000     0        0 0 3 ffff81";
    assert.equal(parseProcNetTcp(row, 4).sockets[0]?.timer?.expiresMs, 0);
  });
});

describe("parseProcNetTcp input quirks", () => {
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
  const listen =
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 777 1 ffff 100 0 0 10 0";
  const cw =
    "   1: 0100007F:1F90 0100007F:D000 08 00000000:00000001 00:00000000 00000000  1000        0 778 1 ffff 20 4 30 10 -1";

  it("accepts CRLF, trailing spaces, a missing final newline and a repeated header", () => {
    const text = `${header}  \r\n${listen}   \r\n${header}\r\n${cw}`;
    const { sockets, warnings } = parseProcNetTcp(text, 4);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      sockets.map((s) => [stateName(s.state), s.recvQ, s.inode]),
      [
        ["LISTEN", 2, 777],
        ["CLOSE_WAIT", 1, 778],
      ],
    );
  });

  it("skips a malformed line with a warning naming origin, line and field", () => {
    const bad = cw.replace("0100007F:D000", "0100007G:D000");
    const { sockets, warnings } = parseProcNetTcp(`${header}\n${listen}\n${bad}\n`, 4, "dump.txt");
    assert.equal(sockets.length, 1);
    assert.deepEqual(warnings, ["dump.txt:3: bad rem_address field, line skipped"]);
  });

  it("names the first missing field of a truncated row", () => {
    const cut = cw.slice(0, cw.indexOf(" 1000"));
    const { warnings } = parseProcNetTcp(`${listen}\n${cut}`, 4, "t");
    assert.deepEqual(warnings, ["t:2: bad uid field, line skipped"]);
  });

  it("throws InputError naming the origin when nothing parses", () => {
    assert.throws(
      () => parseProcNetTcp("Proto Recv-Q Send-Q Local Address\ntcp 0 0 0.0.0.0:22 LISTEN\n", 4, "x.txt"),
      (err: unknown) => err instanceof InputError && /^x\.txt: /.test(err.message),
    );
    // A tcp6 table is not a tcp table, header or not.
    const v6 = capture("jc__proc-net-tcp6_timewait.txt");
    assert.throws(
      () => parseProcNetTcp(v6, 4, "v6.txt"),
      /^InputError: v6\.txt: not a \/proc\/net\/tcp listing \(v6\.txt:2: bad local_address field/,
    );
  });

  it("returns no sockets and no error for an empty table", () => {
    assert.deepEqual(parseProcNetTcp("", 4), { sockets: [], warnings: [] });
    assert.deepEqual(parseProcNetTcp(`${header}\n`, 4), { sockets: [], warnings: [] });
    assert.deepEqual(parseProcNetTcp("\n  \n", 6), { sockets: [], warnings: [] });
  });

  it("keeps only the states in the mask, SYN_RECV rows standing for NEW_SYN_RECV too", () => {
    const syn =
      "   2: 0100007F:1F90 0100007F:D002 03 00000000:00000000 01:00000064 00000001     0        0 0 1 ffff";
    const text = `${listen}\n${cw}\n${syn}`;
    const cwOnly = parseProcNetTcp(text, 4, "t", stateBit(TcpState.CLOSE_WAIT));
    assert.deepEqual(
      cwOnly.sockets.map((s) => s.inode),
      [778],
    );
    const newSyn = parseProcNetTcp(text, 4, "t", stateBit(TcpState.NEW_SYN_RECV));
    assert.deepEqual(
      newSyn.sockets.map((s) => s.state),
      [TcpState.SYN_RECV],
    );
  });

  it("caps per-line warnings and counts the rest", () => {
    const lines = [listen];
    for (let i = 0; i < 30; i++) lines.push(`${i}: nonsense`);
    const { warnings } = parseProcNetTcp(lines.join("\n"), 4, "t");
    assert.equal(warnings.length, 21);
    assert.equal(warnings[20], "t: 10 more malformed lines skipped");
  });

  it("never throws anything but InputError on arbitrary text", () => {
    const rowish = fc
      .array(
        fc.oneof(
          fc.constantFrom(header, listen, cw, "", "\r", " "),
          fc.string(),
          fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFabcdef: \t\r\n()-x") }),
          fc.constantFrom(listen, cw).map((l) => l.slice(0, 40)),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join("\n"));
    fc.assert(
      fc.property(rowish, fc.constantFrom<Family>(4, 6), (text, family) => {
        try {
          const { sockets } = parseProcNetTcp(text, family, "prop");
          for (const s of sockets) {
            assert.ok(Number.isInteger(s.local.port) && s.local.port <= 0xffff);
            assert.ok(s.state >= 1 && s.state <= 12);
          }
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("readProcNetTcp on the fixture host", () => {
  it("reads tcp and tcp6 under the root and filters by state", () => {
    const proc = new ProcFs(host1);
    const all = readProcNetTcp(proc);
    assert.deepEqual(all.warnings, []);
    assert.deepEqual(counts(all.sockets), { LISTEN: 3, ESTABLISHED: 3, CLOSE_WAIT: 6, TIME_WAIT: 5 });
    const cw = readProcNetTcp(proc, [4, 6], stateBit(TcpState.CLOSE_WAIT)).sockets;
    assert.deepEqual(
      cw.map((s) => [s.family, s.recvQ, s.inode]),
      [
        [4, 0, 30020],
        [4, 0, 30021],
        [4, 1, 30030],
        [4, 5, 30031],
        [4, 1, 0],
        [6, 0, 30040],
      ],
    );
    const v6only = readProcNetTcp(proc, [6]).sockets;
    assert.equal(v6only.length, 5);
    assert.deepEqual(v6only[4]?.remote, { address: "2001:db8:0:1::7", port: 443 });
  });

  it("treats a missing tcp6 as IPv6 disabled and a missing tcp as an input error", () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-proc-"));
    try {
      const empty = new ProcFs(dir);
      assert.deepEqual(readProcNetTcp(empty, [6]), { sockets: [], warnings: [] });
      assert.throws(
        () => readProcNetTcp(empty, [4]),
        (err: unknown) => err instanceof InputError && err.message.includes(join(dir, "net", "tcp")),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with tcp6 but no tcp, gives the IPv6 sockets and a warning (a partial result), not a failure", () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-proc-"));
    try {
      mkdirSync(join(dir, "net"));
      copyFileSync(join(host1, "net", "tcp6"), join(dir, "net", "tcp6"));
      const got = readProcNetTcp(new ProcFs(dir));
      assert.equal(got.sockets.length, 5);
      assert.ok(got.sockets.every((s) => s.family === 6));
      assert.deepEqual(got.warnings, [
        `${join(dir, "net", "tcp")}: no such file; IPv4 sockets not read, only IPv6 (a partial result)`,
      ]);
      const cli = sockdoc(["summary", "--proc-root", dir, "--json"]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).total, 5);
      assert.match(cli.stderr, /warning: .*net\/tcp: no such file; IPv4 sockets not read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
