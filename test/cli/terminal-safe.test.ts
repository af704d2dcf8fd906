/**
 * Nothing from outside reaches the terminal raw (issue 10 item 5): a process
 * that names itself with escape sequences, a capture whose program column and
 * file name hold them. Tables and text show them escaped; JSON keeps them exact.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { sockdoc } from "../support/run.js";

/** A window-title sequence, then clear-screen: 14 bytes, within comm's 15. */
const HOSTILE_COMM = "\x1b]0;pwned\x07\x1b[2J";
const SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J";

/** ESC, BEL, CSI (8-bit) or any other C0/C1 control but newline. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

function assertNoControls(where: string, text: string): void {
  const hit = CONTROL.exec(text);
  assert.equal(
    hit,
    null,
    `${where}: control byte 0x${hit?.[0].charCodeAt(0).toString(16)} in ${JSON.stringify(text)}`,
  );
}

/**
 * Python names itself through /proc/self/comm (any user can), then holds a
 * CLOSE_WAIT socket on loopback: it accepts a connection whose client closes.
 */
const HOLDER = `
import socket, sys, time
with open("/proc/self/comm", "wb") as f:
    f.write(sys.argv[1].encode())
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
cli.close()
print(srv.getsockname()[1], flush=True)
time.sleep(120)
`;

describe("a process named with escape sequences", () => {
  let child: ChildProcess;
  let port: number;
  before(async () => {
    child = spawn("python3", ["-c", HOLDER, HOSTILE_COMM], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
    });
    port = Number(line);
    // The peer's FIN arrives asynchronously: wait until the socket is in CLOSE_WAIT.
    for (let i = 0; i < 50; i++) {
      const r = sockdoc(["ls", "state", "close-wait", "sport", "=", `:${port}`, "--json"]);
      if ((JSON.parse(r.stdout) as { total: number }).total === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(() => child.kill());

  const filter = () => ["state", "close-wait", "sport", "=", `:${port}`];

  /** What the escaped tables stand for: --json gives the exact name. */
  function assertJsonExact(): void {
    const r = sockdoc(["ls", "-p", "--json", ...filter()]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { sockets: { owners: { comm: string }[] }[] };
    assert.equal(doc.sockets.length, 1);
    assert.equal(doc.sockets[0]!.owners[0]!.comm, HOSTILE_COMM);
    const cw = sockdoc(["closewait", "--json", ...filter()]);
    assert.equal(cw.status, 0, cw.stderr);
    assert.ok(JSON.stringify(JSON.parse(cw.stdout)).includes(JSON.stringify(HOSTILE_COMM).slice(1, -1)));
  }

  for (const args of [["closewait"], ["ls", "-p"], ["summary", "-p"], ["ls", "-p", "--format", "csv"]]) {
    it(`sockdoc ${args.join(" ")} shows the name escaped`, () => {
      const r = sockdoc([...args, ...filter()]);
      assert.equal(r.status, 0, r.stderr);
      assertNoControls("stdout", r.stdout);
      assertNoControls("stderr", r.stderr);
      assert.ok(r.stdout.includes(SHOWN), r.stdout);
      assertJsonExact();
    });
  }
});

describe("a capture with escape sequences in its program column and its file name", () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sockdoc-escape-"));
    file = join(dir, "cap\x1b[2J\x07.txt");
    writeFileSync(
      file,
      [
        "Active Internet connections (servers and established)",
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
        `tcp        1      0 10.1.0.5:8080           10.1.0.77:41234         CLOSE_WAIT  2200/${HOSTILE_COMM}`,
        "",
      ].join("\n"),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [["ls", "-p"], ["closewait"], ["summary", "-p"], ["ls", "--format", "csv", "-p"]]) {
    it(`sockdoc ${args.join(" ")} --input shows program and file name escaped`, () => {
      const r = sockdoc([...args, "--input", file]);
      assert.equal(r.status, 0, r.stderr);
      assertNoControls("stdout", r.stdout);
      assertNoControls("stderr", r.stderr);
      // --json meanwhile keeps the exact program name and file name.
      const json = sockdoc(["ls", "-p", "--json", "--input", file]);
      assert.equal(json.status, 0, json.stderr);
      const doc = JSON.parse(json.stdout) as {
        source: { detail: string };
        sockets: { owners: { comm: string }[] }[];
      };
      assert.equal(doc.sockets[0]!.owners[0]!.comm, HOSTILE_COMM);
      assert.ok(doc.source.detail.includes(file));
    });
  }

  it("an error naming the file is escaped on stderr", () => {
    const r = sockdoc(["ls", "--input", join(dir, "missing\x1b[2J")]);
    assert.equal(r.status, 3);
    assertNoControls("stderr", r.stderr);
    assert.match(r.stderr, /missing\\x1b\[2J/);
  });
});
