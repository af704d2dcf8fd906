/**
 * @module Test helper process: makes real TCP sockets on loopback in known
 * states, prints one JSON line describing them, then holds them until killed.
 * Usage: node socket-maker.js [host] [established] [closeWait] [timeWait]
 */
import net from "node:net";

interface Pair {
  localPort: number;
  remotePort: number;
  fd: number | null;
}

const host = process.argv[2] ?? "127.0.0.1";
const counts = {
  established: Number(process.argv[3] ?? 2),
  closeWait: Number(process.argv[4] ?? 2),
  timeWait: Number(process.argv[5] ?? 2),
};

function fdOf(socket: net.Socket): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  return typeof handle?.fd === "number" && handle.fd >= 0 ? handle.fd : null;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)),
  );
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host, port }, () => resolve(c));
    c.on("error", reject);
  });
}

const held: net.Socket[] = [];

async function main(): Promise<void> {
  // Server that never closes what its peers closed: CLOSE_WAIT on the server side.
  const accepted: net.Socket[] = [];
  const leaky = net.createServer({ allowHalfOpen: true }, (s) => {
    accepted.push(s);
    s.on("data", () => {});
    s.on("end", () => {}); // read EOF, never end(): Recv-Q 0
  });
  const leakyPort = await listen(leaky);
  // Polite server: closes after its peer does, so the client closes first and keeps TIME_WAIT.
  const polite = net.createServer((s) => s.resume());
  const politePort = await listen(polite);

  const established: Pair[] = [];
  for (let i = 0; i < counts.established; i++) {
    const c = await connect(politePort);
    held.push(c);
    established.push({ localPort: c.localPort ?? 0, remotePort: politePort, fd: fdOf(c) });
  }

  const closeWait: Pair[] = [];
  for (let i = 0; i < counts.closeWait; i++) {
    const c = await connect(leakyPort);
    const clientPort = c.localPort ?? 0;
    await new Promise<void>((resolve) => {
      const check = () => {
        const s = accepted.find((a) => a.remotePort === clientPort);
        if (s) {
          s.once("end", () => resolve());
          c.end();
        } else setTimeout(check, 5);
      };
      check();
    });
    const s = accepted.find((a) => a.remotePort === clientPort)!;
    closeWait.push({ localPort: leakyPort, remotePort: clientPort, fd: fdOf(s) });
  }

  const timeWait: Pair[] = [];
  for (let i = 0; i < counts.timeWait; i++) {
    const c = await connect(politePort);
    const localPort = c.localPort ?? 0;
    await new Promise<void>((resolve) => {
      c.on("close", () => resolve());
      c.end();
      c.resume();
    });
    timeWait.push({ localPort, remotePort: politePort, fd: null });
  }

  process.stdout.write(
    `${JSON.stringify({ pid: process.pid, host, leakyPort, politePort, established, closeWait, timeWait })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`socket-maker: ${err.message}\n`);
  process.exit(1);
});
process.on("SIGTERM", () => process.exit(0));
