import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readCapture } from "../../src/capture/read-capture.js";
import { InputError } from "../../src/model/errors.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { stateName } from "../../src/model/tcp-state.js";
import { repoRoot } from "../support/run.js";
import { captureText, capturesDir } from "./captures-readme.js";

const sosMin = join(repoRoot, "test", "fixtures", "capture", "sosreport-min");
const work = mkdtempSync(join(tmpdir(), "sockdoc-capture-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A private copy of the fixture sosreport (links kept as links) that a test may change. */
function sosCopy(name: string): string {
  const dir = join(work, name);
  cpSync(sosMin, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

function summary(snap: Snapshot): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of snap.sockets) c[stateName(s.state)] = (c[stateName(s.state)] ?? 0) + 1;
  return c;
}

const SOS_STATES = { LISTEN: 3, ESTABLISHED: 2, CLOSE_WAIT: 2, TIME_WAIT: 1 };

describe("readCapture on single files", () => {
  it("reads an ss capture into a Snapshot with the file's mtime and format", () => {
    const path = join(work, "ss.txt");
    writeFileSync(path, captureText("insights-core__ss-tupna_docs.txt"));
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const snap = readCapture(path);
    assert.equal(snap.takenAt, 1_700_000_000_000);
    assert.deepEqual(snap.source, { kind: "capture", detail: `capture: ${path} (ss)` });
    assert.deepEqual(snap.host, { hostname: "(capture)", kernel: null, sysctls: {} });
    assert.equal(snap.ownersResolved, true);
    assert.deepEqual(summary(snap), { LISTEN: 1, ESTABLISHED: 2, TIME_WAIT: 1 });
  });

  it("reads a /proc/net/tcp6 dump with the IPv6 parser", () => {
    const snap = readCapture(join(capturesDir, "jc__proc-net-tcp6_timewait.txt"));
    assert.match(snap.source.detail, /\(proc-net-tcp6\)$/);
    assert.equal(snap.ownersResolved, false);
    assert.deepEqual(summary(snap), { TIME_WAIT: 7, LISTEN: 1 });
    assert.ok(snap.sockets.every((s) => s.family === 6));
  });

  it("decodes a UTF-16LE capture with a BOM and CRLF line ends", () => {
    const path = join(work, "netstat-utf16.txt");
    const text = captureText("datadog-integrations-core__ss_ipv6_tcp.txt").replace(/\n/g, "\r\n");
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const snap = readCapture(path);
    assert.match(snap.source.detail, /\(ss\)$/);
    assert.deepEqual(summary(snap), { LISTEN: 1, TIME_WAIT: 1, ESTABLISHED: 1, CLOSING: 1 });
    assert.deepEqual(snap.warnings, []);
  });

  it('reads stdin for "-"', () => {
    const script = `import("${join(repoRoot, "dist", "src", "capture", "read-capture.js")}").then((m) => {
      const s = m.readCapture("-");
      console.log(JSON.stringify([s.source.detail, s.sockets.length]));
    });`;
    const r = spawnSync(process.execPath, ["-e", script], {
      input: captureText("jc__ubuntu1804_ss-tulpen.txt"),
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ["capture: stdin (ss)", 58]);
  });

  const errors: Array<[string, () => string, RegExp]> = [
    ["a missing file", () => join(work, "nope.txt"), /^cannot read .*nope\.txt: no such file or directory$/],
    [
      "text no tool printed",
      () => {
        const p = join(work, "prose.txt");
        writeFileSync(p, "the server was slow yesterday\n");
        return p;
      },
      /^cannot tell what tool printed .*prose\.txt: expected netstat, ss or \/proc\/net\/tcp output$/,
    ],
    [
      "an empty file",
      () => {
        const p = join(work, "empty.txt");
        writeFileSync(p, "");
        return p;
      },
      /empty\.txt is empty: expected netstat, ss/,
    ],
    [
      "a truncated sosreport archive (read with tar)",
      () => {
        const p = join(work, "sosreport.tar.xz");
        writeFileSync(p, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]));
        return p;
      },
      /cannot list \S*sosreport\.tar\.xz: tar: .*Unexpected end of input/,
    ],
    [
      "a folder without socket listings",
      () => mkdtempSync(join(work, "empty-dir-")),
      /no socket listing found/,
    ],
  ];
  for (const [what, make, message] of errors) {
    it(`gives a one-line InputError for ${what}`, () => {
      const path = make();
      assert.throws(
        () => readCapture(path),
        (err: unknown) =>
          err instanceof InputError && message.test(err.message) && !err.message.includes("\n"),
      );
    });
  }
});

describe("readCapture on a sosreport folder", () => {
  it("reads ss -p first, names it in the detail and the others in a warning", () => {
    const snap = readCapture(sosMin);
    assert.equal(snap.source.kind, "capture");
    assert.equal(snap.source.detail, `capture: ${sosMin}/sos_commands/networking/ss_-peaonmi (ss)`);
    assert.deepEqual(snap.warnings, [
      `${sosMin}: read sos_commands/networking/ss_-peaonmi; ignored sos_commands/networking/netstat_-W_-neopa, proc/net/tcp + proc/net/tcp6`,
    ]);
    assert.equal(snap.host.hostname, "sos-min.example.com");
    assert.equal(snap.host.kernel, "5.14.0-362.8.1.el9_3.x86_64");
    assert.equal(snap.host.sysctls["net.ipv4.tcp_tw_reuse"], "2");
    assert.equal(snap.host.sysctls["net.ipv4.ip_local_port_range"], "32768\t60999");
    assert.equal(Object.keys(snap.host.sysctls).length, 6);
    assert.equal(snap.ownersResolved, true);
    assert.deepEqual(summary(snap), SOS_STATES);
    const cw = snap.sockets.find((s) => s.local.port === 8080 && s.recvQ === 1)!;
    assert.deepEqual(cw.owners, [{ pid: 2200, comm: "java", fd: 57 }]);
    assert.equal(cw.inode, 40002);
  });

  it("falls back to netstat -p when there is no ss listing", () => {
    const dir = sosCopy("no-ss");
    unlinkSync(join(dir, "sos_commands", "networking", "ss_-peaonmi"));
    const snap = readCapture(dir);
    assert.match(snap.source.detail, /netstat_-W_-neopa \(netstat-linux\)$/);
    assert.match(snap.warnings.at(-1)!, /ignored proc\/net\/tcp \+ proc\/net\/tcp6$/);
    assert.deepEqual(summary(snap), SOS_STATES);
  });

  it("falls back to /proc (through proc/net -> self/net), tcp and tcp6 merged", () => {
    const dir = sosCopy("proc-only");
    unlinkSync(join(dir, "sos_commands", "networking", "ss_-peaonmi"));
    unlinkSync(join(dir, "sos_commands", "networking", "netstat_-W_-neopa"));
    const snap = readCapture(dir);
    assert.equal(snap.source.detail, `capture: ${dir}/proc/net/tcp + proc/net/tcp6 (proc-net-tcp)`);
    assert.deepEqual(snap.warnings, []);
    assert.equal(snap.ownersResolved, false);
    assert.deepEqual(summary(snap), SOS_STATES);
    assert.deepEqual(
      snap.sockets.filter((s) => s.family === 6).map((s) => s.inode),
      [21002, 50001],
    );
  });

  it("passes over empty /proc copies (cp of /proc files loses their content)", () => {
    const dir = sosCopy("empty-proc");
    rmSync(join(dir, "sos_commands", "networking"), { recursive: true });
    writeFileSync(join(dir, "proc", "4242", "net", "tcp6"), "");
    const snap = readCapture(dir);
    assert.equal(snap.sockets.length, 6);
    assert.deepEqual(snap.warnings, ["proc/net/tcp6: empty file, not read"]);
    writeFileSync(join(dir, "proc", "4242", "net", "tcp"), "");
    assert.throws(
      () => readCapture(dir),
      /no socket listing could be read \(proc\/net\/tcp and proc\/net\/tcp6: empty file\)$/,
    );
  });

  it("takes an absolute link target inside the folder, never this host's /proc", () => {
    const dir = sosCopy("absolute-link");
    rmSync(join(dir, "sos_commands", "networking"), { recursive: true });
    unlinkSync(join(dir, "proc", "net"));
    symlinkSync("/proc/self/net", join(dir, "proc", "net"));
    const snap = readCapture(dir);
    assert.deepEqual(summary(snap), SOS_STATES);
  });

  it("does not follow a link out of the folder", () => {
    const dir = sosCopy("escaping-link");
    rmSync(join(dir, "sos_commands", "networking"), { recursive: true });
    unlinkSync(join(dir, "proc", "net"));
    symlinkSync("../../../../../../proc/net", join(dir, "proc", "net"));
    assert.throws(() => readCapture(dir), /no socket listing found/);
  });

  it("skips a listing that cannot be parsed, says so, and reads the next", () => {
    const dir = sosCopy("bad-ss");
    const ss = join(dir, "sos_commands", "networking", "ss_-peaonmi");
    writeFileSync(
      ss,
      'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\ntcp ESTAB 0 0 a b users:(("x",pid=1,fd=2))\n',
    );
    const snap = readCapture(dir);
    assert.match(snap.source.detail, /netstat_-W_-neopa/);
    assert.match(snap.warnings[0]!, /skipped sos_commands\/networking\/ss_-peaonmi: no ss row could be read/);
  });

  it("uses sos_commands files when the top-level links are missing, (capture) when nothing names the host", () => {
    const dir = sosCopy("no-links");
    unlinkSync(join(dir, "hostname"));
    unlinkSync(join(dir, "uname"));
    let snap = readCapture(dir);
    assert.equal(snap.host.hostname, "sos-min.example.com");
    assert.equal(snap.host.kernel, "5.14.0-362.8.1.el9_3.x86_64");
    rmSync(join(dir, "sos_commands", "general"), { recursive: true });
    rmSync(join(dir, "sos_commands", "kernel"), { recursive: true });
    snap = readCapture(dir);
    assert.deepEqual(snap.host, { hostname: "(capture)", kernel: null, sysctls: {} });
  });

  it("skips a listing over the input limit with a warning, and reads the next", () => {
    const snap = readCapture(sosMin, 2048);
    assert.match(snap.source.detail, /netstat_-W_-neopa/);
    assert.ok(
      snap.warnings.some((w) =>
        /skipped sos_commands\/networking\/ss_-peaonmi is over the input limit of 2 KiB/.test(w),
      ),
      snap.warnings.join("\n"),
    );
  });
});
