import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stateBit, TcpState } from "../../src/model/tcp-state.js";
import { loadNative } from "../../src/sources/native.js";
import { decodeInetDiagMessages } from "../../src/sources/sock-diag.js";
import {
  INET_DIAG_BC_S_GE,
  INET_DIAG_BC_S_LE,
  localPortRangeProgram,
} from "../../src/sources/sock-diag/bytecode.js";

/**
 * The kernel's inet_diag_bc_run and inet_diag_bc_audit for the two ops used,
 * written from net/ipv4/inet_diag.c: audit follows the `yes` jumps and checks
 * every jump's size; run accepts when a jump lands exactly on the end.
 */
/** The kernel reads the program in host byte order. */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function audit(program: Uint8Array): boolean {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  let at = 0;
  let left = program.length;
  while (left > 0) {
    const code = view.getUint8(at);
    if (code !== INET_DIAG_BC_S_GE && code !== INET_DIAG_BC_S_LE) return false;
    const minLength = 8;
    if (left < minLength) return false;
    const yes = view.getUint8(at + 1);
    const no = view.getUint16(at + 2, LE);
    if (no < minLength || no > left + 4 || no % 4 !== 0) return false;
    if (yes < minLength || yes > left + 4 || yes % 4 !== 0) return false;
    at += yes;
    left -= yes;
  }
  return left === 0;
}

function run(program: Uint8Array, localPort: number): boolean {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  let at = 0;
  let left = program.length;
  while (left > 0) {
    const code = view.getUint8(at);
    const port = view.getUint16(at + 6, LE);
    const yes = code === INET_DIAG_BC_S_GE ? localPort >= port : localPort <= port;
    const jump = yes ? view.getUint8(at + 1) : view.getUint16(at + 2, LE);
    at += jump;
    left -= jump;
  }
  return left === 0;
}

describe("localPortRangeProgram", () => {
  it("passes the kernel's audit and keeps exactly the ports in range", () => {
    const port = fc.integer({ min: 0, max: 65535 });
    fc.assert(
      fc.property(port, port, port, (a, b, p) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const program = localPortRangeProgram(low, high);
        assert.ok(audit(program));
        assert.equal(run(program, p), p >= low && p <= high);
      }),
    );
  });
  it("refuses an empty or impossible range", () => {
    assert.throws(() => localPortRangeProgram(10, 9), RangeError);
    assert.throws(() => localPortRangeProgram(-1, 9), RangeError);
    assert.throws(() => localPortRangeProgram(1, 65536), RangeError);
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
      } finally {
        for (const c of clients) c.destroy();
        server.close();
      }
    },
  );
});
