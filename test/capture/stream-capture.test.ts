/**
 * A capture file or stdin is streamed: its rows reach the analyses while
 * the input is still being written, and what they get is what the whole
 * read gave (the same sockets, warnings and owners rule), whatever the line
 * ends, encoding or chunk boundaries.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openCapture, readCapture } from "../../src/capture/read-capture.js";
import { scopeFor } from "../../src/cli/common.js";
import type { Analysis } from "../../src/inspect/analysis.js";
import { inspect, resultOf } from "../../src/inspect/inspect.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES_MASK } from "../../src/model/tcp-state.js";
import { sockdocBin } from "../support/run.js";
import { capturesDir } from "./captures-readme.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-stream-"));
after(() => rmSync(work, { recursive: true, force: true }));

const NETSTAT_HEAD = [
  "Active Internet connections (servers and established)",
  "Proto Recv-Q Send-Q Local Address           Foreign Address         State",
];
const SS_HEAD = ["State      Recv-Q Send-Q Local Address:Port   Peer Address:Port"];

function netstatRow(i: number, peer = `10.1.${(i >> 8) & 255}.${i & 255}`): string {
  return `tcp        0      0 10.0.0.5:8080           ${peer}:${40000 + (i % 20000)}     ESTABLISHED`;
}

function ssRow(i: number, peer = `10.1.${(i >> 8) & 255}.${i & 255}`): string {
  return `ESTAB      0      0      10.0.0.5:8080        ${peer}:${40000 + (i % 20000)}`;
}

/** Rows written before the writer waits: past the lines read ahead to tell the format. */
const FIRST_ROWS = 3000;

describe("a capture streamed from a pipe", () => {
  for (const [format, head, row] of [
    ["netstat", NETSTAT_HEAD, netstatRow],
    ["ss", SS_HEAD, ssRow],
  ] as const) {
    it(`hands ${format} rows to the analyses before the input ends`, async () => {
      const fifo = join(work, `${format}.fifo`);
      const flag = join(work, `${format}.seen`);
      const first = join(work, `${format}.first`);
      spawnSync("mkfifo", [fifo]);
      writeFileSync(
        first,
        [...head, ...Array.from({ length: FIRST_ROWS }, (_, i) => row(i))].join("\n") + "\n",
      );
      // The writer keeps the pipe open until the analysis has seen the first rows
      // (or 10 s passed), then says which with its last row's peer.
      const script =
        `exec > "$1"; cat "$2"; i=0; while [ ! -e "$3" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; ` +
        `if [ -e "$3" ]; then echo "$4"; else echo "$5"; fi`;
      const writer = spawn(
        "sh",
        ["-c", script, "sh", fifo, first, flag, row(1, "10.9.9.1"), row(1, "10.9.9.2")],
        {
          stdio: "ignore",
        },
      );
      const exited = new Promise((resolve) => writer.on("exit", resolve));
      let seen = 0;
      const peers: string[] = [];
      const probe: Analysis<number> = {
        name: "probe",
        needs: { states: ALL_STATES_MASK },
        start: () => ({
          add: (c) => {
            // ss hands a row on when the next line shows it ended: the last one waits.
            if (++seen === FIRST_ROWS - 1) writeFileSync(flag, "");
            peers.push(c.remoteAddress);
          },
          finish: () => seen,
        }),
      };
      const scope = scopeFor({ input: fifo });
      const inspection = await inspect(scope, [probe]);
      await exited;
      assert.equal(resultOf(inspection, probe), FIRST_ROWS + 1);
      assert.equal(peers.at(-1), "10.9.9.1", "the first rows reached the analysis while the pipe was open");
    });
  }
});

/** Every socket, the warnings and the owners rule of a streamed read. */
function streamed(path: string) {
  const capture = openCapture(path);
  if ("hosts" in capture) throw new Error(`${path}: one host expected`);
  const sockets: TcpSocket[] = [];
  capture.eachSocket((s) => sockets.push(s));
  return { sockets, warnings: capture.warnings, ownersResolved: capture.ownersResolved };
}

function whole(path: string) {
  const snap = readCapture(path);
  return { sockets: snap.sockets, warnings: snap.warnings, ownersResolved: snap.ownersResolved };
}

describe("a streamed capture gives what the whole read gave", () => {
  it(
    "for every shared capture",
    { skip: existsSync(capturesDir) ? false : "../shared/captures missing" },
    () => {
      const names = readdirSync(capturesDir).filter((n) => n.endsWith(".txt"));
      assert.ok(names.length > 10);
      for (const name of names) {
        const path = join(capturesDir, name);
        assert.deepEqual(streamed(path), whole(path), name);
      }
    },
  );

  const rows = Array.from({ length: 2500 }, (_, i) => netstatRow(i));
  const text = [...NETSTAT_HEAD, ...rows, "tcp 0 0 hello:1 10.0.0.1:2 ESTABLISHED", ""].join("\n");
  const variants: Array<[string, Buffer]> = [
    ["LF", Buffer.from(text)],
    ["CRLF", Buffer.from(text.replaceAll("\n", "\r\n"))],
    ["CR CR LF", Buffer.from(text.replaceAll("\n", "\r\r\n"))],
    ["lone CR", Buffer.from(text.replaceAll("\n", "\r"))],
    ["UTF-8 BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ["UTF-16LE BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["UTF-16LE", Buffer.from(text.replaceAll("\n", "\r\n"), "utf16le")],
    ["UTF-16BE BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])],
  ];
  // A CRLF whose CR ends one 64 KiB read and whose LF starts the next.
  const crlf = text.replaceAll("\n", "\r\n");
  const cr = crlf.lastIndexOf("\r", 65535);
  const padded = `${" ".repeat(65535 - cr)}${crlf}`;
  assert.equal(padded[65535], "\r");
  variants.push(["CR at a read's end", Buffer.from(padded)]);
  for (const [label, bytes] of variants) {
    it(`for a netstat capture with ${label}`, () => {
      const path = join(work, `v-${label.replaceAll(" ", "_")}.txt`);
      writeFileSync(path, bytes);
      const got = streamed(path);
      assert.equal(got.sockets.length, rows.length + 1);
      assert.deepEqual(got, whole(path));
      assert.match(got.warnings.join("\n"), /not an IP address/);
    });
  }
});

describe("LISTEN rows after the others", () => {
  // Inbound TIME_WAIT on a port that a late LISTEN row says is bound: not ephemeral.
  const tw = Array.from(
    { length: 40 },
    (_, i) =>
      `TIME-WAIT  0      0      10.0.0.5:33000       10.2.0.${i + 1}:${50000 + i}   timer:(timewait,30sec,0)`,
  );
  const out = Array.from(
    { length: 30 },
    (_, i) => `TIME-WAIT  0      0      10.0.0.5:${40000 + i}       10.3.0.1:443   timer:(timewait,30sec,0)`,
  );
  const listen = "LISTEN     0      128    0.0.0.0:33000        0.0.0.0:*";
  const early = [SS_HEAD[0]!, listen, ...tw, ...out, ""].join("\n");
  const late = [SS_HEAD[0]!, ...tw, ...out, listen, ""].join("\n");

  function report(args: string[], input?: string) {
    const r = spawnSync(sockdocBin, ["timewait", "--json", ...args], { encoding: "utf8", input });
    assert.equal(r.status, 0, r.stderr);
    // Where and when differ between a file and stdin; the rest is the report.
    const { takenAt: _t, source: _s, ...rest } = JSON.parse(r.stdout);
    assert.ok(rest.total > 0);
    return rest;
  }

  it("count as they would first, from a file (read again) and from stdin (rows kept)", () => {
    writeFileSync(join(work, "early.txt"), early);
    writeFileSync(join(work, "late.txt"), late);
    const expected = report(["--input", join(work, "early.txt")]);
    assert.deepEqual(report(["--input", join(work, "late.txt")]), expected);
    assert.deepEqual(report(["--input", "-"], late), expected);
    // The late LISTEN changes the result: without it the 40 count as outgoing.
    const without = [SS_HEAD[0]!, ...tw, ...out, ""].join("\n");
    assert.notDeepEqual(report(["--input", "-"], without), expected);
  });
});
