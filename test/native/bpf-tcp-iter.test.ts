/**
 * The BPF tcp iterator against netlink, on a namespace this test makes and
 * fills with every kind of socket a read must report alike (socket-zoo.py):
 * IPv4, IPv6 and v4-mapped, bound to a device, CLOSE_WAIT and FIN_WAIT2,
 * TIME_WAIT in both substates, request sockets. Endpoint for endpoint the
 * same sockets, TIME_WAIT and SYN_RECV timers within a second; and an
 * exporter's read of the namespace (summary, timewait, listeners) gives the
 * same results through it as through netlink. Root only (BPF, namespaces).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { listenersAnalysis } from "../../src/inspect/analyses/listeners.js";
import { summaryAnalysis } from "../../src/inspect/analyses/summary.js";
import { timeWaitAnalysis } from "../../src/inspect/analyses/time-wait.js";
import { failures, inspect, resultOf } from "../../src/inspect/inspect.js";
import type { HostScope } from "../../src/inspect/scope.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../src/model/tcp-state.js";
import { BTF_PATH, kernelBtf } from "../../src/sources/bpf/kernel-btf.js";
import { hzOfThisKernel } from "../../src/sources/bpf/kernel-hz.js";
import { tcpIteratorOffsets } from "../../src/sources/bpf/tcp-offsets.js";
import { type BpfTcpIterHandle, loadNative } from "../../src/sources/native.js";
import { ProcFs } from "../../src/sources/procfs.js";
import type { SocketCursor } from "../../src/sources/sock-diag.js";
import { visitSockDiagPassesAsync } from "../../src/sources/sock-diag-async.js";
import { tcpIterator } from "../../src/sources/sock-diag/tcp-iterator.js";
import { createNetns, repoRoot } from "../support/run.js";

const { addon, error } = loadNative();
const skip = !addon
  ? `native addon not available: ${error}`
  : process.getuid?.() !== 0
    ? "not root: loading a BPF program and making a namespace need root"
    : !existsSync(BTF_PATH)
      ? `no ${BTF_PATH}: the iterator's offsets come from the kernel's BTF`
      : !addon.BpfTcpIter
        ? "the addon predates the tcp iterator"
        : false;

interface Seen {
  key: string;
  state: TcpState;
  timerKind: string | null;
  expiresMs: number | null;
  retrans: number | null;
  uid: number | null;
  ifindex: number;
}

const NOT_LISTEN = ALL_STATES_MASK & ~stateBit(TcpState.LISTEN);

describe("the BPF tcp iterator", { skip }, () => {
  let ns: { name: string; remove: () => void };
  let zoo: ChildProcess;
  let made: {
    established: number;
    closeWait: number;
    timeWait: number;
    finWait2Substate: number;
    synRecv: number;
  };
  let iterator: BpfTcpIterHandle;
  let lines: ReturnType<typeof createInterface>;
  const path = () => join("/run/netns", ns.name);
  /** The test's namespace as an exporter reads it (again and again: oneWalk). */
  const namespaceScope = (): HostScope => ({
    kind: "host",
    proc: new ProcFs("/proc"),
    source: "auto",
    families: [4, 6],
    oneWalk: true,
    netns: {
      ref: { inode: statSync(path()).ino, name: ns.name, container: null },
      path: path(),
      pids: [zoo.pid!],
      own: false,
    },
  });

  async function read(through: BpfTcpIterHandle | undefined): Promise<Seen[]> {
    const seen: Seen[] = [];
    const visit = (c: SocketCursor) =>
      seen.push({
        key: `${c.family} ${TcpState[c.state]} ${c.localAddress}:${c.localPort} ${c.remoteAddress}:${c.remotePort}`,
        state: c.state,
        timerKind: c.timerKind,
        expiresMs: c.expiresMs,
        retrans: c.timer?.retrans ?? null,
        uid: c.uid,
        ifindex: c.ifindex,
      });
    const pass = { statesMask: NOT_LISTEN, visit, oneWalk: true, ...(through ? { iterator: through } : {}) };
    await visitSockDiagPassesAsync(addon!, [4, 6], [pass], path());
    return seen.sort((a, b) => a.key.localeCompare(b.key));
  }

  before(async () => {
    const found = tcpIteratorOffsets((kernelBtf() as { btf: never }).btf);
    assert.ok("offsets" in found, JSON.stringify(found));
    const hz = hzOfThisKernel();
    assert.ok("hz" in hz, JSON.stringify(hz));
    iterator = new addon!.BpfTcpIter!(found.offsets, found.btfId, hz.hz);
    ns = createNetns("tcpiter");
    // SYN-ACKs to 10.9.0.2 leave through a veth whose peer is down: never answered.
    for (const args of [
      ["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
      ["addr", "add", "10.9.0.1/24", "dev", "v0"],
      ["link", "set", "v0", "up"],
    ]) {
      const r = spawnSync("ip", ["-n", ns.name, ...args], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    }
    const script = join(repoRoot, "test", "fixtures", "native", "socket-zoo.py");
    zoo = spawn("ip", ["netns", "exec", ns.name, "python3", script], { stdio: ["pipe", "pipe", "inherit"] });
    lines = createInterface({ input: zoo.stdout! });
    made = JSON.parse(((await once(lines, "line")) as [string])[0]);
  });

  /** Three more request sockets, made just now (their SYN-ACK timer restarts a second later). */
  async function sendSyns(): Promise<void> {
    zoo.stdin!.write("syn\n");
    made.synRecv = (JSON.parse(((await once(lines, "line")) as [string])[0]) as { synRecv: number }).synRecv;
  }

  after(() => {
    iterator?.close();
    zoo?.stdin?.end();
    zoo?.kill();
    ns?.remove();
  });

  it("reads the sockets netlink reads, endpoint for endpoint", async () => {
    await sendSyns();
    const viaNetlink = await read(undefined);
    const viaIterator = await read(iterator);
    assert.deepEqual(
      viaIterator.map((s) => s.key),
      viaNetlink.map((s) => s.key),
    );
    const count = (list: Seen[], state: TcpState) => list.filter((s) => s.state === state).length;
    assert.equal(count(viaIterator, TcpState.SYN_RECV), made.synRecv);
    assert.equal(count(viaIterator, TcpState.TIME_WAIT), made.timeWait);
    assert.equal(count(viaIterator, TcpState.CLOSE_WAIT), made.closeWait);
    assert.ok(count(viaIterator, TcpState.ESTABLISHED) >= made.established);
    // TIME_WAIT sockets of an orphan that closed first keep FIN_WAIT2 as their substate.
    const substate = viaIterator.filter((s) => s.state === TcpState.FIN_WAIT2 && s.timerKind === "timewait");
    assert.equal(substate.length, made.finWait2Substate);
    for (let i = 0; i < viaIterator.length; i++) {
      const mine = viaIterator[i]!;
      const theirs = viaNetlink[i]!;
      assert.equal(mine.ifindex, theirs.ifindex, mine.key);
      // A full socket's owner; 0 for a request socket, not its listener's (uid 65534 here).
      assert.equal(mine.uid, theirs.uid, mine.key);
      // A full socket's timers and queues are not filled.
      if (mine.timerKind === null) continue;
      assert.equal(mine.timerKind, theirs.timerKind, mine.key);
      assert.equal(mine.retrans, theirs.retrans, mine.key);
      assert.ok(
        Math.abs(mine.expiresMs! - theirs.expiresMs!) < 1000,
        `${mine.key}: ${mine.expiresMs} vs ${theirs.expiresMs}`,
      );
      assert.ok(mine.expiresMs! > 0, mine.key);
    }
    assert.ok(
      viaIterator.some((s) => s.ifindex === 1),
      "the socket bound to lo",
    );
  });

  it("gives an exporter's read of the namespace the same results as netlink", async () => {
    const run = async () => {
      const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 5, owners: false });
      const timeWaitOf = timeWaitAnalysis({ windowSec: 60 });
      const listenersOf = listenersAnalysis();
      const inspection = await inspect(namespaceScope(), [summaryOf, timeWaitOf, listenersOf]);
      assert.deepEqual(failures(inspection), []);
      const destinations = resultOf(inspection, timeWaitOf).report.destinations.map((d) => [
        d.remote.address,
        d.remote.port,
        d.count,
      ]);
      return {
        detail: inspection.facts.source.detail,
        dumps: inspection.stats.dumps,
        summary: resultOf(inspection, summaryOf),
        destinations,
        listeners: resultOf(inspection, listenersOf),
      };
    };
    const bpf = await run();
    process.env.SOCKDOC_SOCKETS = "netlink";
    let netlink: Awaited<ReturnType<typeof run>>;
    try {
      netlink = await run();
    } finally {
      delete process.env.SOCKDOC_SOCKETS;
    }
    assert.match(bpf.detail, /^the BPF tcp iterator/);
    assert.match(netlink.detail, /^netlink sock_diag/);
    assert.equal(bpf.dumps, 2);
    assert.deepEqual(bpf.summary, netlink.summary);
    assert.deepEqual(bpf.destinations, netlink.destinations);
    assert.deepEqual(bpf.listeners, netlink.listeners);
    assert.ok(bpf.destinations.length > 0);
  });

  it("is kept when a read fails by netlink too (a namespace gone meanwhile)", async () => {
    const gone = join("/run/netns", `${ns.name}-gone`);
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
    const inspection = await inspect(
      { ...namespaceScope(), netns: { ...namespaceScope().netns!, path: gone, pids: [] } },
      [summaryOf],
    );
    assert.match(inspection.warnings.join("\n"), /ENOENT|cannot read/);
    assert.ok(tcpIterator(addon!, true).iterator, "not the iterator's fault: still loaded");
  });

  it("falls back to netlink when a read through it fails, and says why", async () => {
    // The process's iterator, closed behind the read's back: its dump cannot start.
    const { iterator: shared } = tcpIterator(addon!, true);
    assert.ok(shared);
    shared.close();
    const summaryOf = summaryAnalysis({ statesMask: ALL_STATES_MASK, top: 0, owners: false });
    const inspection = await inspect(namespaceScope(), [summaryOf]);
    assert.deepEqual(failures(inspection), []);
    assert.match(inspection.facts.source.detail, /^netlink sock_diag/);
    assert.match(
      inspection.stats.socketsNote ?? "",
      /a read through it failed \(BpfTcpIter: closed\) where netlink's did not/,
    );
    assert.equal(resultOf(inspection, summaryOf).states.SYN_RECV, made.synRecv);
    // Dropped for the process: the next read does not try it again.
    assert.equal(tcpIterator(addon!, true).iterator, null);
  });
});
