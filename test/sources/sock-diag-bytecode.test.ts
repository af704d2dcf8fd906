import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import {
  INET_DIAG_BC_D_GE,
  INET_DIAG_BC_D_LE,
  INET_DIAG_BC_S_GE,
  INET_DIAG_BC_S_LE,
  localPortRangeProgram,
  MAX_REMOTE_PORTS,
} from "../../src/sources/sock-diag/bytecode.js";

/**
 * The kernel's inet_diag_bc_audit and inet_diag_bc_run for the port ops,
 * written from net/ipv4/inet_diag.c: audit follows the `yes` jumps, checks
 * every jump's size, and wants each `no` jump inside the program to land on
 * an op that walk reaches (valid_cc); run accepts when a jump lands exactly
 * on the end.
 */
/** The kernel reads the program in host byte order. */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PORT_OPS = [INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE, INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE];

function reachable(program: Uint8Array, cc: number): boolean {
  let at = 0;
  let len = program.length;
  while (len > 0) {
    if (cc > len) return false;
    if (cc === len) return true;
    const yes = program[at + 1]!;
    if (yes < 4 || yes % 4 !== 0) return false;
    len -= yes;
    at += yes;
  }
  return false;
}

function audit(program: Uint8Array): boolean {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  let at = 0;
  let len = program.length;
  while (len > 0) {
    const code = view.getUint8(at);
    if (!PORT_OPS.includes(code)) return false;
    const minLength = 8;
    if (len < minLength) return false;
    const yes = view.getUint8(at + 1);
    const no = view.getUint16(at + 2, LE);
    if (no < minLength || no > len + 4 || no % 4 !== 0) return false;
    if (no < len && !reachable(program, len - no)) return false;
    if (yes < minLength || yes > len + 4 || yes % 4 !== 0) return false;
    at += yes;
    len -= yes;
  }
  return len === 0;
}

function run(program: Uint8Array, localPort: number, remotePort: number): boolean {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  let at = 0;
  let left = program.length;
  while (left > 0) {
    const code = view.getUint8(at);
    const port = view.getUint16(at + 6, LE);
    const yes =
      code === INET_DIAG_BC_S_GE
        ? localPort >= port
        : code === INET_DIAG_BC_S_LE
          ? localPort <= port
          : code === INET_DIAG_BC_D_GE
            ? remotePort >= port
            : remotePort <= port;
    const jump = yes ? view.getUint8(at + 1) : view.getUint16(at + 2, LE);
    at += jump;
    left -= jump;
  }
  return left === 0;
}

describe("localPortRangeProgram", () => {
  const port = fc.integer({ min: 0, max: 65535 });
  it("passes the kernel's audit and keeps exactly the local ports in range", () => {
    fc.assert(
      fc.property(port, port, port, port, (a, b, p, r) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const program = localPortRangeProgram(low, high);
        assert.ok(audit(program));
        assert.equal(run(program, p, r), p >= low && p <= high);
      }),
    );
  });
  it("with remote ports: keeps a socket only when its remote port is one of them too", () => {
    // Ports drawn near each other (and the edges) so neighbours of listed ports are tried.
    const near = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 65500, max: 65535 }), port);
    fc.assert(
      fc.property(
        port,
        port,
        fc.array(near, { minLength: 1, maxLength: 30 }),
        port,
        near,
        (a, b, list, p, r) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const program = localPortRangeProgram(low, high, list);
          assert.ok(audit(program), `audit of ${list}`);
          assert.equal(run(program, p, r), p >= low && p <= high && list.includes(r), `${p} ${r} ${list}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it("takes up to MAX_REMOTE_PORTS remote ports and fits the addon's 4096 bytes", () => {
    const ports = Array.from({ length: MAX_REMOTE_PORTS }, (_, i) => 1000 + 3 * i);
    const program = localPortRangeProgram(1024, 65535, ports);
    assert.ok(program.length <= 4096);
    assert.ok(audit(program));
    assert.throws(() => localPortRangeProgram(1024, 65535, [...ports, 9]), RangeError);
  });
  it("refuses an empty or impossible range", () => {
    assert.throws(() => localPortRangeProgram(10, 9), RangeError);
    assert.throws(() => localPortRangeProgram(-1, 9), RangeError);
    assert.throws(() => localPortRangeProgram(1, 65536), RangeError);
    assert.throws(() => localPortRangeProgram(1, 2, [70000]), RangeError);
  });
});

describe("localPortRangeProgram in the kernel", () => {
  const { addon, error } = loadNative();
  it(
    "drops loopback sockets outside the range before they are reported",
    {
      skip: addon ? false : (error ?? "no addon"),
    },
    async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const serverPort = (server.address() as net.AddressInfo).port;
      const clients = await Promise.all(
        [1, 2, 3].map(
          () =>
            new Promise<net.Socket>((resolve) => {
              const c = net.connect(serverPort, "127.0.0.1", () => resolve(c));
            }),
        ),
      );
      try {
        const ports = clients.map((c) => c.localPort!).sort((x, y) => x - y);
        const estab = stateBit(TcpState.ESTABLISHED);
        const dumped = (low: number, high: number) =>
          decodeInetDiagMessages(addon!.inetDiagDump(2, estab, Buffer.from(localPortRangeProgram(low, high))))
            .filter((s) => s.local.address === "127.0.0.1")
            .map((s) => s.local.port);
        // Only the middle client's socket: neither the other two nor the server side.
        assert.deepEqual(dumped(ports[1]!, ports[1]!), [ports[1]]);
        // The server's accepted sockets share serverPort.
        assert.deepEqual(dumped(serverPort, serverPort), [serverPort, serverPort, serverPort]);
        const all = new Set(dumped(0, 65535));
        for (const p of [...ports, serverPort]) assert.ok(all.has(p), `port ${p} in the unfiltered dump`);
        // Remote ports: the clients' sockets have the server's port as remote port;
        // the kernel accepts the audit of a longer list and keeps only those.
        const toServer = (list: number[]) =>
          decodeInetDiagMessages(
            addon!.inetDiagDump(2, estab, Buffer.from(localPortRangeProgram(0, 65535, list))),
          )
            .filter((s) => s.local.address === "127.0.0.1")
            .map((s) => s.local.port)
            .sort((x, y) => x - y);
        assert.deepEqual(toServer([1, serverPort, 65535]), ports);
        assert.deepEqual(toServer([serverPort - 1, serverPort + 1]), []);
        assert.deepEqual(toServer([ports[0]!]), [serverPort]);
      } finally {
        for (const c of clients) c.destroy();
        server.close();
      }
    },
  );
});
