/**
 * Live, root: `sockdoc kill` on real sockets in a network namespace made by
 * the test. A holder process inside it keeps CLOSE_WAIT sockets (with their
 * half-closed peers), an ESTABLISHED pair, listeners and TIME_WAIT sockets on
 * 127.0.0.1 and ::1, and reports what its sockets saw. Tests run in order
 * and share the namespace: refusals and dry runs first, then real closes.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { after, before, describe, it } from "node:test";
import type { SocketJson } from "../../src/render/socket-json.js";
import { loadNative } from "../../src/sources/native.js";
import {
  createNetns,
  isRoot,
  makeSockets,
  type RunResult,
  repoRoot,
  sockdoc,
  sockdocBin,
} from "../support/run.js";

interface Held {
  host: string;
  leakyPort: number;
  echoPort: number;
  closeWait: number[];
  established: number;
  timeWait: number[];
}
interface Poke {
  owners: Array<{ host: string; peerPort: number; events: string[] }>;
  peers: Array<{ host: string; port: number; events: string[] }>;
  established: Array<{ host: string; port: number; echoes: boolean }>;
}
interface KillDoc {
  schema: string;
  host: { hostname: string };
  source: { kind: string };
  warnings: string[];
  dryRun: boolean;
  filter: string;
  matched: number;
  support: { destroy: { status: string }; timeWait: { status: string; detail: string } | null };
  results: Array<{ socket: SocketJson; outcome: string }>;
  audit: { path: string; records: number } | null;
}

const COUNT = 3;
const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const script = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));
const prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p));
const { addon, error } = loadNative();
const skip = !isRoot
  ? "needs root: it creates a network namespace and destroys sockets"
  : !addon
    ? `native addon not available: ${error}`
    : false;

describe("sockdoc kill (live, in a network namespace, root)", { skip }, () => {
  let ns: { name: string; remove: () => void };
  let holder: ChildProcess;
  let lines: Interface;
  let pid: number;
  let v4: Held;
  let v6: Held | undefined;
  const tmp = mkdtempSync(join(tmpdir(), "sockdoc-kill-"));
  const auditLog = join(tmp, "audit", "kill.log");

  before(async () => {
    ns = createNetns("kill");
    const addr = spawnSync("ip", ["-n", ns.name, "addr", "show", "dev", "lo"], { encoding: "utf8" });
    const hosts = addr.stdout.includes("inet6 ::1") ? ["127.0.0.1", "::1"] : ["127.0.0.1"];
    const holderJs = join(repoRoot, "dist", "test", "fixtures", "kill", "holder.js");
    holder = spawn("ip", ["netns", "exec", ns.name, process.execPath, holderJs, String(COUNT), ...hosts], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    lines = createInterface({ input: holder.stdout! });
    const first = await nextLine();
    const info = JSON.parse(first) as { pid: number; held: Held[] };
    pid = info.pid;
    v4 = info.held[0]!;
    v6 = info.held[1];
  });

  after(() => {
    holder?.kill();
    ns?.remove();
    rmSync(tmp, { recursive: true, force: true });
  });

  function nextLine(): Promise<string> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`holder exited with ${code}`));
      holder.once("exit", onExit);
      lines.once("line", (line) => {
        holder.removeListener("exit", onExit);
        resolve(line);
      });
    });
  }

  async function poke(): Promise<Poke> {
    const answer = nextLine();
    holder.stdin!.write("poke\n");
    return JSON.parse(await answer) as Poke;
  }

  const run = (args: string[]): RunResult => sockdoc(["kill", ...args], { netns: ns.name });
  function killJson(args: string[], status = 0): KillDoc {
    const r = run([...args, "--json", "--audit-log", auditLog, "--no-journal"]);
    assert.equal(r.status, status, r.stderr);
    const doc = JSON.parse(r.stdout) as KillDoc;
    assert.equal(doc.schema, "sockdoc.kill/v1");
    assert.equal(doc.source.kind, "netlink");
    assert.equal(doc.matched, doc.results.length);
    return doc;
  }
  function ls(words: string[]): SocketJson[] {
    const r = sockdoc(["ls", ...words, "--json"], { netns: ns.name });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { sockets: SocketJson[] }).sockets;
  }
  const closeWaitOn = (h: Held) => ls(["state", "close-wait", "sport", "=", `:${h.leakyPort}`]);
  const auditLines = () =>
    existsSync(auditLog) ? readFileSync(auditLog, "utf8").trimEnd().split("\n").filter(Boolean) : [];

  it("refuses an empty filter, one that can match LISTEN, and more than --max: exit 2, one line", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--yes"], /^sockdoc: refusing to kill without a filter: .*--force\n$/],
      [
        ["sport", "=", `:${v4.leakyPort}`, "--yes"],
        /^sockdoc: refusing: filter "sport = :\d+" can match LISTEN .*--force\n$/,
      ],
      [
        ["state", "close-wait", "sport", "=", `:${v4.leakyPort}`, "--max", "2", "--yes"],
        new RegExp(`^sockdoc: refusing: ${COUNT} sockets match, more than --max 2; .*--force\\n$`),
      ],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
    assert.equal(closeWaitOn(v4).length, COUNT, "nothing was closed");
    assert.deepEqual(auditLines(), []);
  });

  it("a dry run lists the sockets with their owners, explains the effect, and changes nothing", () => {
    const doc = killJson(["state", "close-wait", "sport", "=", `:${v4.leakyPort}`]);
    assert.equal(doc.dryRun, true);
    assert.equal(doc.matched, COUNT);
    const expected = doc.support.destroy.status === "unsupported" ? "unsupported" : "would-close";
    for (const r of doc.results) {
      assert.equal(r.outcome, expected);
      assert.equal(r.socket.state, "CLOSE_WAIT");
      assert.equal(r.socket.owners?.[0]?.pid, pid, "owners are shown (-p implied)");
    }
    assert.equal(doc.audit, null);

    const text = run(["state", "close-wait", "sport", "=", `:${v4.leakyPort}`]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^3 sockets match "state close-wait and sport = :\d+"/);
    assert.match(
      text.stdout,
      /\nSOCK_DESTROY: supported by this kernel \(probe: destroying a socket that cannot/,
    );
    assert.match(text.stdout, /reset \(RST\)/);
    assert.match(text.stdout, /its next call on it fails\s+with\s+ECONNABORTED/);
    assert.match(text.stdout, new RegExp(`node \\(pid ${pid}\\)`));
    assert.match(
      text.stdout,
      /Dry run: nothing was closed\. To close them:\n {2}\S*sockdoc kill state close-wait sport = :\d+ --yes\n/,
    );

    const after = closeWaitOn(v4);
    assert.deepEqual(
      after.map((s) => s.cookie).sort(),
      doc.results.map((r) => r.socket.cookie).sort(),
      "the same sockets are still there",
    );
    assert.deepEqual(auditLines(), []);
  });

  it(
    "on a terminal it asks, and an answer other than y closes nothing",
    {
      skip: !script && "script(1) is not installed",
    },
    () => {
      const cmd = `${sockdocBin} kill state close-wait sport = :${v4.leakyPort} --audit-log ${auditLog}`;
      const r = spawnSync("ip", ["netns", "exec", ns.name, script!, "-qec", cmd, "/dev/null"], {
        input: "n\n",
        encoding: "utf8",
        env: { ...process.env, COLUMNS: "120" },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Close these 3 sockets\? \[y\/N\]/);
      assert.match(r.stdout, /Dry run: nothing was closed/);
      assert.equal(closeWaitOn(v4).length, COUNT);
      assert.deepEqual(auditLines(), []);
    },
  );

  it(
    "without CAP_NET_ADMIN: --yes exits 4 with the command to run; a dry run still works",
    {
      skip: !setpriv && "setpriv (util-linux) is not installed",
    },
    () => {
      const args = ["kill", "state", "close-wait", "sport", "=", `:${v4.leakyPort}`, "--yes"];
      const denied = spawnSync(sockdocBin, [...args], {
        uid: 65534,
        gid: 65534,
        encoding: "utf8",
      });
      assert.equal(denied.status, 4, denied.stderr);
      assert.match(
        denied.stderr,
        new RegExp(
          `^sockdoc: closing sockets needs CAP_NET_ADMIN \\(root\\); run: sudo \\S*sockdoc kill state close-wait sport = :${v4.leakyPort} --yes\\n$`,
        ),
      );
      const asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", sockdocBin];
      const dry = spawnSync("ip", ["netns", "exec", ns.name, setpriv!, ...asNobody, ...args.slice(0, -1)], {
        encoding: "utf8",
      });
      assert.equal(dry.status, 0, dry.stderr);
      assert.match(dry.stdout, /would-close/);
      assert.match(
        dry.stdout,
        /Closing needs CAP_NET_ADMIN \(root\); run:\n {2}sudo \S*sockdoc kill state close-wait sport = :\d+ --yes\n/,
      );
      assert.equal(closeWaitOn(v4).length, COUNT);
    },
  );

  /** CLOSE_WAIT sockets on the leaky port, as ss in the namespace lists them. */
  function ssCloseWait(h: Held): number {
    const r = spawnSync(
      "ip",
      ["netns", "exec", ns.name, "ss", "-Htn", "state", "close-wait", "sport", "=", `:${h.leakyPort}`],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l.includes(`:${h.leakyPort}`)).length;
  }

  it("an audit log that cannot be written: nothing is closed, exit 3, one line", () => {
    const filter = ["state", "close-wait", "sport", "=", `:${v4.leakyPort}`, "--yes", "--no-journal"];
    const readOnly = join(tmp, "read-only");
    mkdirSync(readOnly);
    writeFileSync(join(readOnly, "kill.log"), "earlier\n");
    const aFile = join(tmp, "a-file");
    writeFileSync(aFile, "");
    const cases: Array<{ log: string; why: string; wrap?: (cmd: string[]) => string[] }> = [
      // Opens fine; every write fails (as on a full filesystem).
      { log: "/dev/full", why: "ENOSPC" },
      { log: join(aFile, "kill.log"), why: "ENOTDIR" },
      { log: tmp, why: "EISDIR" },
      {
        // A read-only mount of the directory, in this command's own mount namespace (ip netns exec
        // makes one): root ignores file modes, not a read-only filesystem.
        log: join(readOnly, "kill.log"),
        why: "EROFS",
        wrap: (cmd) => [
          "sh",
          "-c",
          'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"',
          readOnly,
          ...cmd,
        ],
      },
    ];
    for (const { log, why, wrap } of cases) {
      for (const format of [[], ["--json"]]) {
        const cmd = [sockdocBin, "kill", ...filter, ...format, "--audit-log", log];
        const r = spawnSync("ip", ["netns", "exec", ns.name, ...(wrap ? wrap(cmd) : cmd)], {
          encoding: "utf8",
        });
        assert.equal(r.status, 3, `${log}: ${r.stderr}`);
        assert.equal(r.stdout, "", `${log}: nothing listed as closed`);
        assert.match(
          r.stderr,
          new RegExp(
            `^sockdoc: cannot (open|write) the audit log ${log.replace(/[/.]/g, "\\$&")} \\(${why}\\); ` +
              "nothing was closed; choose another with --audit-log FILE\\n$",
          ),
        );
        assert.equal(ssCloseWait(v4), COUNT, `${log}: ss still lists every CLOSE_WAIT socket`);
      }
    }
    assert.equal(readFileSync(join(readOnly, "kill.log"), "utf8"), "earlier\n");
    assert.deepEqual(auditLines(), []);
  });

  it(
    "a log that fills up after the intents: the sockets closed are listed, then it stops (exit 3)",
    { skip: !prlimit && "prlimit (util-linux) is not installed" },
    async () => {
      // Sockets of its own, so the tests after it still find the holder's.
      const made = await makeSockets({ netns: ns.name, established: 0, closeWait: COUNT, timeWait: 0 });
      try {
        const filter = ["state", "close-wait", "sport", "=", `:${made.leakyPort}`];
        const dry = killJson(filter);
        assert.equal(dry.matched, COUNT);
        // The intents' exact size (the records sockdoc writes, outcome null): the file may grow past
        // them but not by the outcomes too. RLIMIT_FSIZE then fails the write with EFBIG.
        const intents = dry.results.map((r) => `${JSON.stringify(intentLike(dry, r.socket))}\n`).join("");
        const limit = Buffer.byteLength(intents) + 60;
        const log = join(tmp, "small.log");
        const cmd = [prlimit!, `--fsize=${limit}`, sockdocBin, "kill", ...filter, "--yes", "--no-journal"];
        const r = spawnSync("ip", ["netns", "exec", ns.name, ...cmd, "--audit-log", log], {
          encoding: "utf8",
          env: { ...process.env, COLUMNS: "200" },
        });
        assert.equal(r.status, 3, r.stderr);
        assert.equal(
          r.stderr,
          `sockdoc: cannot write the audit log ${log} (EFBIG) after closing ${COUNT} sockets (listed above ` +
            "as closed, each with its intent record in the log); their outcomes are not in it; choose " +
            "another with --audit-log FILE\n",
        );
        const rows = r.stdout.split("\n").filter((l) => l.includes(`:${made.leakyPort} `));
        assert.equal(rows.length, COUNT, r.stdout);
        for (const row of rows) assert.match(row, /\bclosed$/);
        assert.match(r.stdout, new RegExp(`Closed ${COUNT} of ${COUNT} sockets\\.`));
        assert.equal(ssCloseWait({ leakyPort: made.leakyPort } as Held), 0, "ss: they are closed");
        const written = readFileSync(log, "utf8");
        assert.equal(Buffer.byteLength(written), limit, "the intents, then outcomes cut at the limit");
        assert.equal(
          Buffer.byteLength(written.split("\n").slice(0, COUNT).join("\n")) + 1,
          Buffer.byteLength(intents),
        );
        const lines = written.split("\n");
        const whole = lines.slice(0, COUNT).map((l) => JSON.parse(l) as { phase: string; cookie: string });
        assert.deepEqual(
          whole.map((x) => x.phase),
          Array(COUNT).fill("intent"),
        );
        assert.deepEqual(
          new Set(whole.map((x) => x.cookie)),
          new Set(dry.results.map((x) => x.socket.cookie)),
        );
      } finally {
        made.child.kill();
      }
    },
  );

  it("--yes closes the CLOSE_WAIT sockets: gone, peers reset, owner gets ECONNABORTED, the rest untouched, audited", async (t) => {
    const before = ls([]);
    const doc = killJson(["state", "close-wait", "sport", "=", `:${v4.leakyPort}`, "--yes"], 0);
    if (doc.support.destroy.status === "unsupported") {
      t.skip("this kernel has no CONFIG_INET_DIAG_DESTROY");
      return;
    }
    assert.equal(doc.dryRun, false);
    assert.deepEqual(
      doc.results.map((r) => r.outcome),
      Array(COUNT).fill("closed"),
    );
    const killed = new Set(doc.results.map((r) => r.socket.cookie));
    assert.deepEqual(closeWaitOn(v4), [], "no CLOSE_WAIT left on the port");

    const seen = await poke();
    for (const o of seen.owners) {
      const aborted = o.events.includes("error ECONNABORTED");
      assert.equal(aborted, o.host === v4.host, `owner socket ${o.host} <- ${o.peerPort}: ${o.events}`);
    }
    for (const p of seen.peers) {
      const reset = p.events.includes("error ECONNRESET");
      assert.equal(reset, p.host === v4.host, `peer ${o(p)}: ${p.events}`);
    }
    for (const e of seen.established) assert.ok(e.echoes, `ESTABLISHED pair on ${e.host} still works`);

    // Everything else is still there: listeners, the ESTABLISHED pair, TIME_WAIT, the other host's CLOSE_WAIT.
    const after = new Set(ls([]).map((s) => s.cookie));
    const peerPorts = new Set(v4.closeWait);
    const expected = before.filter(
      (s) => !killed.has(s.cookie) && !(s.local.address === v4.host && peerPorts.has(s.local.port)),
    );
    assert.ok(expected.some((s) => s.state === "LISTEN") && expected.some((s) => s.state === "ESTABLISHED"));
    for (const s of expected)
      assert.ok(after.has(s.cookie), `${s.state} ${s.local.port} -> ${s.remote.port} is gone`);

    const records = auditLines().map(
      (l) =>
        JSON.parse(l) as {
          cookie: string;
          user: { uid: number };
          owners: Array<{ pid: number }>;
          phase: string;
          outcome: string | null;
          socket: { state: string };
        },
    );
    // An intent per socket (synced before the destroy), then its outcome.
    assert.deepEqual(
      records.map((r) => r.phase),
      [...Array(COUNT).fill("intent"), ...Array(COUNT).fill("outcome")],
    );
    assert.deepEqual(new Set(records.map((r) => r.cookie)), killed);
    for (const r of records) {
      assert.equal(r.outcome, r.phase === "intent" ? null : "closed");
      assert.equal(r.socket.state, "CLOSE_WAIT");
      assert.equal(r.user.uid, 0);
      assert.equal(r.owners[0]?.pid, pid);
    }
    assert.equal(doc.audit?.records, 2 * COUNT);
    assert.equal(doc.audit?.path, auditLog);
  });

  it("TIME_WAIT sockets: closed when the probe says this kernel can, reported unsupported when not", () => {
    const filter = ["state", "time-wait", "dport", "=", `:${v4.echoPort}`];
    const before = ls(filter);
    assert.equal(before.length, COUNT, "test setup: TIME_WAIT sockets");
    const already = auditLines().length;
    const r = run([...filter, "--yes", "--json", "--audit-log", auditLog, "--no-journal"]);
    const doc = JSON.parse(r.stdout) as KillDoc;
    const verdict = doc.support.timeWait;
    assert.ok(verdict, "TIME_WAIT was probed");
    assert.notEqual(verdict.status, "unknown", verdict.detail);
    if (verdict.status === "supported") {
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        doc.results.map((x) => x.outcome),
        Array(COUNT).fill("closed"),
      );
      assert.deepEqual(ls(filter), []);
      assert.equal(auditLines().length, already + 2 * COUNT);
    } else {
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(
        doc.results.map((x) => x.outcome),
        Array(COUNT).fill("unsupported"),
      );
      assert.equal(ls(filter).length, COUNT);
    }
  });

  it("the command `sockdoc closewait` suggests clears the rest, and the server keeps running", async (t) => {
    if (!v6) {
      t.skip("no ::1 in the namespace");
      return;
    }
    const held = v6;
    const cw = sockdoc(["closewait", "--json", "sport", "=", `:${held.leakyPort}`], { netns: ns.name });
    assert.equal(cw.status, 0, cw.stderr);
    const report = JSON.parse(cw.stdout) as {
      total: number;
      groups: Array<{ remedies: Array<{ kind: string; command: string | null }> }>;
    };
    assert.equal(report.total, COUNT);
    const command = report.groups[0]?.remedies.find((x) => x.kind === "close")?.command;
    assert.match(command ?? "", /^sockdoc kill /);
    // The words as a shell passes them (the command has no quotes).
    const words = command!.split(" ").slice(2);
    const doc = killJson([...words, "--yes"]);
    assert.equal(doc.matched, COUNT);
    assert.ok(doc.results.every((x) => x.outcome === "closed"));
    const again = sockdoc(["closewait", "--json", "sport", "=", `:${held.leakyPort}`], { netns: ns.name });
    assert.equal((JSON.parse(again.stdout) as { total: number }).total, 0);
    assert.equal(holder.exitCode, null, "the server process was not killed");
    const seen = await poke();
    assert.ok(
      seen.owners.filter((x) => x.host === held.host).every((x) => x.events.includes("error ECONNABORTED")),
    );
    assert.ok(seen.established.every((e) => e.echoes));
    assert.equal(ls(["state", "listen"]).length, 2 * 2, "both listeners on both hosts");
  });
});

/** An intent record as sockdoc writes it for a socket of a dry run (same keys, same order). */
function intentLike(doc: KillDoc, s: SocketJson) {
  return {
    time: new Date().toISOString(),
    host: doc.host.hostname,
    user: { uid: 0, name: "root", sudoUser: process.env.SUDO_USER ?? null },
    action: "SOCK_DESTROY",
    phase: "intent",
    filter: doc.filter,
    socket: { family: s.family, state: s.state, local: s.local, remote: s.remote },
    inode: s.inode,
    cookie: s.cookie,
    owners: s.owners,
    outcome: null,
  };
}

function o(p: { host: string; port: number }): string {
  return `${p.host}:${p.port}`;
}
