/**
 * Live: each `sockdoc lab close-wait` cause on loopback is diagnosed by
 * `sockdoc closewait --json` (the command's own code path) with the right
 * cause, owner pid and count; the lab cleans up after Ctrl-C, --duration and
 * even SIGKILL.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startJsonLab } from "../../support/lab.js";
import { sockdoc } from "../../support/run.js";

interface Ready {
  event: string;
  cause: string;
  serverPid: number;
  clientPid: number;
  host: string;
  port: number;
  count: number;
  recvQ: number;
}

interface Lab {
  child: ChildProcess;
  ready: Ready;
  lines: string[];
}

const started: ChildProcess[] = [];
after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function startLab(args: string[]): Promise<Lab> {
  return startJsonLab<Ready>("close-wait", args, started);
}

async function stopLab(lab: Lab, signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
  if (lab.child.exitCode !== null) return lab.child.exitCode;
  const exited = once(lab.child, "exit");
  lab.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(30);
  return !alive(pid);
}

interface Doc {
  source: { kind: string };
  total: number;
  groups: Array<{
    owner: { pid: number; comm: string } | null;
    localPort: number | null;
    count: number;
    recvQ: { min: number; max: number };
    cause: string;
    fds: number[];
    listener: { backlog: number | null; acceptQueue: number; ownerPid: number | null } | null;
    remedies: Array<{ kind: string; command: string | null }>;
  }>;
}

function diagnose(port: number, ...extra: string[]): Doc {
  const r = sockdoc(["closewait", "--json", ...extra, "sport", "=", `:${port}`]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Doc;
}

const COUNT = 3;

describe("sockdoc lab close-wait, diagnosed live", () => {
  for (const cause of ["eof-not-closed", "fin-unread", "data-unread", "not-accepted"]) {
    it(`${cause}: closewait finds ${COUNT} sockets with that cause and owner, and the lab cleans up`, async () => {
      const lab = await startLab(["--cause", cause, "--count", String(COUNT)]);
      const { ready } = lab;
      assert.equal(ready.event, "ready");
      assert.equal(ready.cause, cause);
      assert.equal(ready.host, "127.0.0.1");
      try {
        const doc = diagnose(ready.port);
        const seen = JSON.stringify(doc.groups);
        assert.equal(doc.total, COUNT, seen);
        assert.equal(doc.groups.length, 1, seen);
        const [g] = doc.groups;
        assert.equal(g?.cause, cause, seen);
        assert.equal(g?.count, COUNT, seen);
        assert.equal(g?.localPort, ready.port);
        assert.deepEqual(g?.recvQ, { min: ready.recvQ, max: ready.recvQ });
        if (cause === "not-accepted") {
          assert.equal(g?.owner, null);
          assert.equal(g?.fds.length, 0);
          assert.equal(g?.listener?.ownerPid, ready.serverPid);
          assert.equal(g?.listener?.acceptQueue, COUNT);
          // netlink reports the listener's backlog (the lab listens with backlog = count); /proc cannot.
          assert.equal(g?.listener?.backlog, doc.source.kind === "netlink" ? COUNT : null);
        } else {
          assert.equal(g?.owner?.pid, ready.serverPid);
          assert.equal(g?.owner?.comm, "node");
          assert.equal(g?.fds.length, COUNT);
          assert.equal(g?.listener, null);
        }
        assert.equal(
          g?.remedies.find((r) => r.kind === "close")?.command,
          `sockdoc kill state close-wait sport = :${ready.port} dst 127.0.0.1`,
        );
      } finally {
        assert.equal(await stopLab(lab), 0, `lab output: ${lab.lines.join("\n")}`);
      }
      assert.match(lab.lines.at(-1) ?? "", /"event":"stopped"/);
      assert.ok(await gone(ready.serverPid), "server child still running after Ctrl-C");
      assert.equal(diagnose(ready.port).total, 0);
    });
  }

  it("tells the causes apart through the /proc source too", async () => {
    const lab = await startLab(["--cause", "data-unread", "--count", "2"]);
    try {
      const doc = diagnose(lab.ready.port, "--source", "proc");
      assert.equal(doc.source.kind, "proc");
      assert.deepEqual(
        doc.groups.map((g) => [g.cause, g.count, g.owner?.pid]),
        [["data-unread", 2, lab.ready.serverPid]],
      );
    } finally {
      await stopLab(lab);
    }
  });

  it("works on ::1 with --ipv6", async () => {
    const lab = await startLab(["--cause", "fin-unread", "--count", "2", "--ipv6"]);
    try {
      assert.equal(lab.ready.host, "::1");
      const doc = diagnose(lab.ready.port);
      assert.deepEqual(
        doc.groups.map((g) => [g.cause, g.count, g.owner?.pid]),
        [["fin-unread", 2, lab.ready.serverPid]],
      );
    } finally {
      await stopLab(lab);
    }
  });

  it("stops by itself after --duration", async () => {
    const lab = await startLab(["--cause", "eof-not-closed", "--count", "1", "--duration", "1"]);
    const [code] = (await once(lab.child, "exit")) as [number | null];
    assert.equal(code, 0);
    assert.match(lab.lines.at(-1) ?? "", /duration reached/);
    assert.ok(await gone(lab.ready.serverPid));
  });

  it("leaves no server behind even when the lab is killed with SIGKILL", async () => {
    const lab = await startLab(["--cause", "not-accepted", "--count", "1"]);
    await stopLab(lab, "SIGKILL");
    assert.ok(await gone(lab.ready.serverPid), "the server should exit when its stdin closes");
  });

  it("refuses bad arguments with exit 2", () => {
    assert.equal(sockdoc(["lab", "close-wait", "--cause", "bogus"]).status, 2);
    assert.equal(sockdoc(["lab", "close-wait", "--cause", "fin-unread", "--count", "0"]).status, 2);
    assert.equal(sockdoc(["lab", "close-wait", "--cause", "fin-unread", "--port", "70000"]).status, 2);
    assert.equal(sockdoc(["lab", "close-wait"]).status, 2);
  });
});
