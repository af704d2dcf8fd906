/**
 * Captures printed with names (no -n): the RHEL article's Solaris rows, and
 * netstat/ss run here, in a namespace the test makes, against sockets it
 * made on a named port (smtp, 25), so the truth is known.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readCapture, snapshotFromText } from "../../src/capture/read-capture.js";
import { splitColonEndpoint, splitDotEndpoint } from "../../src/capture/endpoint-text.js";
import { parseServicesFile } from "../../src/model/service-names.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { stateName, TcpState } from "../../src/model/tcp-state.js";
import { compileFilter } from "../../src/filter/compile.js";
import { createNetns, isRoot, repoRoot, sockdoc } from "../support/run.js";

const ARTICLE = join(repoRoot, "test", "fixtures", "captures-names", "solaris-article-dcd.txt");

function counts(sockets: readonly TcpSocket[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of sockets) c[stateName(s.state)] = (c[stateName(s.state)] ?? 0) + 1;
  return c;
}

describe("endpoints printed with names", () => {
  it("keeps what was printed, numbers a known service and marks what cannot be known", () => {
    assert.deepEqual(splitColonEndpoint("localhost:smtp"), {
      address: "localhost",
      port: 25,
      printed: "localhost:smtp",
      service: "smtp",
      resolved: false,
    });
    assert.deepEqual(splitColonEndpoint("[::]:http"), {
      address: "::",
      port: 80,
      printed: "[::]:http",
      service: "http",
    });
    assert.deepEqual(splitColonEndpoint("*:ssh"), {
      address: "*",
      port: 22,
      printed: "*:ssh",
      service: "ssh",
    });
    assert.deepEqual(splitDotEndpoint("support.dcd"), {
      address: "support",
      port: 0,
      printed: "support.dcd",
      service: "dcd",
      resolved: false,
    });
    assert.deepEqual(splitDotEndpoint("kbrazil-mac.attl.https"), {
      address: "kbrazil-mac.attl",
      port: 443,
      printed: "kbrazil-mac.attl.https",
      service: "https",
      resolved: false,
    });
    // Numbers stay as they were: no new fields.
    assert.deepEqual(splitColonEndpoint("127.0.0.1:25"), { address: "127.0.0.1", port: 25 });
  });

  it("takes the port from the host's own services file when given one", () => {
    const own = parseServicesFile("dcd\t1148/tcp\t# the host's own\nfoo 9/udp\n");
    assert.deepEqual(splitDotEndpoint("support.dcd", own), {
      address: "support",
      port: 1148,
      printed: "support.dcd",
      service: "dcd",
      resolved: false,
    });
  });
});

describe("the article's Solaris rows (netstat -a | grep dcd)", () => {
  const text = readFileSync(ARTICLE, "utf8");

  it("reads as 1 LISTEN and 4 CLOSE_WAIT on port dcd of host support", () => {
    const snap = snapshotFromText(text, "article", 0);
    assert.deepEqual(counts(snap.sockets), { LISTEN: 1, CLOSE_WAIT: 4 });
    const cw = snap.sockets.filter((s) => s.state === TcpState.CLOSE_WAIT);
    for (const s of cw) {
      assert.equal(s.local.address, "support");
      assert.equal(s.local.service, "dcd");
      assert.equal(s.local.resolved, false);
      assert.equal(s.remote.address, "troppus");
    }
    assert.deepEqual(
      cw.map((s) => s.remote.port),
      [774, 638, 818, 782],
    );
    const listen = snap.sockets.find((s) => s.state === TcpState.LISTEN)!;
    assert.equal(listen.local.address, "*");
    assert.equal(listen.local.service, "dcd");
  });

  it("filters on names as ss does: src support", () => {
    const snap = snapshotFromText(text, "article", 0);
    const match = compileFilter(["src", "support"]).matches;
    assert.equal(snap.sockets.filter(match).length, 4);
    assert.equal(snap.sockets.filter(compileFilter(["dst", "troppus:774"]).matches).length, 1);
  });

  it("summary and closewait show port dcd", () => {
    const sum = sockdoc(["summary", "--input", ARTICLE]);
    assert.equal(sum.status, 0, sum.stderr);
    assert.match(sum.stdout, /CLOSE_WAIT\s+4\b/);
    assert.match(sum.stdout, /LISTEN\s+1\b/);
    assert.match(sum.stdout, /:dcd\s+4\b/);
    const cw = sockdoc(["closewait", "--input", ARTICLE]);
    assert.equal(cw.status, 0, cw.stderr);
    assert.match(cw.stdout, /CLOSE_WAIT: 4 sockets in 1 group/);
    assert.match(cw.stdout, /:dcd in\s+4\s+0\s+eof-not-closed\s+troppus \(4\)/);
  });
});

describe("names in the other formats", () => {
  it("BSD and macOS netstat -a (host.port with names)", () => {
    const text = [
      "Active Internet connections (including servers)",
      "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)",
      "tcp4       0      0  kbrazil-mac.attl.https 17.57.146.52.5223      CLOSE_WAIT",
      "tcp4       0      0  localhost.ssh          localhost.51234        CLOSE_WAIT",
      "tcp46      0      0  *.ssh                  *.*                    LISTEN",
    ].join("\n");
    const snap = snapshotFromText(text, "mac", 0);
    assert.deepEqual(counts(snap.sockets), { CLOSE_WAIT: 2, LISTEN: 1 });
    assert.deepEqual(
      snap.sockets.map((s) => [s.local.address, s.local.port, s.local.service, s.local.resolved]),
      [
        ["kbrazil-mac.attl", 443, "https", false],
        ["localhost", 22, "ssh", false],
        ["*", 22, "ssh", undefined],
      ],
    );
  });

  it("Windows netstat -a (names, upper-case TCP)", () => {
    const text = [
      "",
      "Active Connections",
      "",
      "  Proto  Local Address          Foreign Address        State",
      "  TCP    0.0.0.0:http           DESKTOP-1:0            LISTENING",
      "  TCP    127.0.0.1:49669        DESKTOP-1:49670        CLOSE_WAIT",
    ].join("\r\n");
    const snap = snapshotFromText(text, "win", 0);
    assert.deepEqual(counts(snap.sockets), { LISTEN: 1, CLOSE_WAIT: 1 });
    assert.equal(snap.sockets[0]!.local.port, 80);
    assert.equal(snap.sockets[1]!.remote.address, "DESKTOP-1");
    assert.equal(snap.sockets[1]!.remote.resolved, false);
  });

  it("a sosreport's own etc/services names its ports", () => {
    const dir = mkdtempSync(join(tmpdir(), "sockdoc-names-"));
    try {
      mkdirSync(join(dir, "sos_commands", "networking"), { recursive: true });
      mkdirSync(join(dir, "etc"));
      writeFileSync(join(dir, "etc", "services"), "# the host's own\ndcd 1148/tcp\n");
      writeFileSync(
        join(dir, "sos_commands", "networking", "netstat_-a"),
        [
          "Active Internet connections (servers and established)",
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State",
          "tcp        0      0 support:dcd             troppus:774             CLOSE_WAIT",
          "tcp        0      0 support:ssh             troppus:775             CLOSE_WAIT",
        ].join("\n"),
      );
      const snap = readCapture(dir);
      assert.deepEqual(
        snap.sockets.map((s) => [s.local.port, s.local.service]),
        // The host's file wins; what it lacks comes from the shipped table.
        [
          [1148, "dcd"],
          [22, "ssh"],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A server on 127.0.0.1:25 (smtp) that never closes what it accepts, and `clients` clients that hang up. */
const SERVER = `
const net = require("net");
const held = [];
const srv = net.createServer({ allowHalfOpen: true }, (c) => held.push(c)).listen(25, "127.0.0.1", () => {
  let done = 0;
  for (let i = 0; i < N; i++) {
    const c = net.connect(25, "127.0.0.1", () => c.end());
    c.on("finish", () => { if (++done === N) setTimeout(() => console.log("ready"), 200); });
  }
});
setTimeout(() => process.exit(0), 20000);
`;

describe(
  "netstat and ss run here without -n",
  { skip: isRoot ? false : "needs root for a network namespace" },
  () => {
    const tools = ["netstat", "ss"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status === 0);

    it("reads -a, -tap, -tan... and their greps (no header) as the sockets the test made", async (t) => {
      if (tools.length < 2) return t.skip("netstat or ss missing");
      const ns = createNetns("names");
      const server = spawn(
        "ip",
        ["netns", "exec", ns.name, process.execPath, "-e", SERVER.replace(/N/g, "2")],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout!.once("data", () => resolve());
          server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
        });
        const commands = [
          ["netstat", "-a"],
          ["netstat", "-ta"],
          ["netstat", "-tap"],
          ["netstat", "-tape"],
          ["netstat", "-tan"],
          ["netstat", "-tanp"],
          ["netstat", "-tanpe"],
          ["netstat", "-tanpo"],
          ["ss", "-a"],
          ["ss", "-ta"],
          ["ss", "-tap"],
          ["ss", "-tan"],
          ["ss", "-tanp"],
          ["ss", "-tapeo"],
          ["ss", "-tani"],
        ];
        for (const cmd of commands) {
          const out = spawnSync("ip", ["netns", "exec", ns.name, ...cmd], { encoding: "utf8" }).stdout;
          const named = !cmd[1]!.includes("n");
          if (named) assert.match(out, /:smtp\b/, `${cmd.join(" ")} printed no service name`);
          // What a support engineer greps: the rows, without any header.
          const grepped = out
            .split("\n")
            .filter((l) => /CLOSE.WAIT|LISTEN/.test(l) && !/^(?:unix|udp|u_|nl|p_|raw)/.test(l))
            .join("\n");
          for (const [what, text] of [
            [cmd.join(" "), out],
            [`${cmd.join(" ")} | grep -E "CLOSE.WAIT|LISTEN"`, grepped],
          ] as const) {
            const snap = snapshotFromText(text, what, 0);
            const onSmtp = snap.sockets.filter((s) => s.local.port === 25);
            assert.deepEqual(counts(onSmtp), { LISTEN: 1, CLOSE_WAIT: 2 }, what);
            if (named) for (const s of onSmtp) assert.equal(s.local.service, "smtp", what);
            if (cmd[1]!.includes("p")) {
              const cw = onSmtp.find((s) => s.state === TcpState.CLOSE_WAIT)!;
              assert.equal(cw.owners?.[0]?.comm, "node", what);
            }
          }
        }
      } finally {
        server.kill();
        ns.remove();
      }
    });
  },
);

describe("rows cut out by grep, with no header", () => {
  it("illumos netstat -u rows (User, Pid, Command) keep their owners", () => {
    const full = readFileSync(
      join(repoRoot, "test", "fixtures", "capture", "netstat-solaris-nu.txt"),
      "utf8",
    );
    const rows = full
      .split("\n")
      .filter((l) => /[A-Z_]+\s*$/.test(l) && !/Local Address|TCP:/.test(l))
      .join("\n");
    const headed = snapshotFromText(full, "full", 0);
    const bare = snapshotFromText(rows, "grep", 0);
    assert.equal(bare.source.detail, "capture: grep (netstat-solaris)");
    assert.deepEqual(
      bare.sockets.map((s) => [
        stateName(s.state),
        s.local.port,
        s.owners?.map((o) => `${o.comm}/${o.pid}`) ?? null,
      ]),
      headed.sockets.map((s) => [
        stateName(s.state),
        s.local.port,
        s.owners?.map((o) => `${o.comm}/${o.pid}`) ?? null,
      ]),
    );
    assert.deepEqual(
      bare.sockets[1]!.owners?.map((o) => o.pid),
      [531, 533],
    );
  });

  it("one row of each other format is told from the row alone", () => {
    const rows: Array<[string, string]> = [
      ["tcp4       0      0  *.ssh                  *.*                    LISTEN", "netstat-bsd"],
      ["tcp4       0      0  kbrazil-mac.attl.https 17.57.146.52.5223      CLOSE_WAIT", "netstat-bsd"],
      ["  TCP    127.0.0.1:49669        kubernetes:49670       CLOSE_WAIT      4242", "netstat-windows"],
      ["tcp   LISTEN 0      128    *:ssh    *:*", "ss"],
      ["LISTEN 0      511       [::]:http     [::]:*", "ss"],
      ["tcp6       0      0 [::]:ssh                [::]:*                  LISTEN", "netstat-linux"],
      ["tcp        0      0 *:ssh                       *:*                         LISTEN", "netstat-linux"],
      ["      *.dcd               *.*                0      0     0      0 LISTEN", "netstat-solaris"],
    ];
    for (const [row, format] of rows) {
      const snap = snapshotFromText(row, "row", 0);
      assert.equal(snap.source.detail, `capture: row (${format})`, row);
      assert.equal(snap.sockets.length, 1, row);
    }
  });
});
