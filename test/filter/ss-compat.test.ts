import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { compileFilter } from "../../src/filter/compile.js";
import { bareSocket, type TcpSocket } from "../../src/model/socket.js";
import { parseStateWord } from "../../src/model/tcp-state.js";

/**
 * Live check against the real ss: sockets the test makes on loopback, read by
 * `ss -Htan`, filtered once by ss and once by sockdoc's evaluator. Only this
 * test's own sockets are compared (the host's others come and go).
 */
const ssMissing = spawnSync("ss", ["-V"]).error !== undefined;
const skip =
  process.platform !== "linux" ? "needs Linux" : ssMissing ? "ss (iproute2) is not installed" : false;

function endpoint(text: string): { address: string; port: number } {
  const colon = text.lastIndexOf(":");
  let address = text.slice(0, colon).replace(/%[^\]]*$/, "");
  if (address.startsWith("[")) address = address.slice(1, -1);
  const port = text.slice(colon + 1);
  return { address, port: port === "*" ? 0 : Number(port) };
}

/** `ss -Htan` lines as sockets (only what the filter looks at). With a state filter ss drops the State column. */
function ss(words: string[]): TcpSocket[] {
  const out = execFileSync("ss", ["-Htan", ...words], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const stated = /^[0-9]+$/.test(fields[0] ?? "") ? 0 : 1;
      const mask = stated ? (parseStateWord(fields[0] ?? "") ?? 0) : 0;
      const [local = "", remote = ""] = fields.slice(stated + 2);
      const l = endpoint(local);
      return bareSocket(l.address.includes(":") ? 6 : 4, Math.log2(mask & -mask), l, endpoint(remote));
    });
}

/** Endpoints identify this test's sockets (ss omits the state when given a state filter). */
const key = (s: TcpSocket) => `${s.local.address}:${s.local.port} ${s.remote.address}:${s.remote.port}`;

describe("filters agree with ss on live loopback sockets", { skip }, () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const ports: Record<"P" | "Q" | "R", number> = { P: 0, Q: 0, R: 0 };
  let ours: (s: TcpSocket) => boolean = () => false;
  /** This test's sockets as ss lists them without a filter, read once. */
  let everything: TcpSocket[] = [];

  async function listen(server: Server, host: string): Promise<number | null> {
    server.on("connection", (c) => sockets.push(c));
    server.listen(0, host);
    const result = await Promise.race([once(server, "listening"), once(server, "error")]).catch(() => null);
    if (result === null || server.address() === null) return null;
    servers.push(server);
    return (server.address() as { port: number }).port;
  }

  async function connect(host: string, port: number, end: boolean): Promise<void> {
    const c = createConnection({ host, port, allowHalfOpen: true });
    sockets.push(c);
    await once(c, "connect");
    if (end) c.end();
  }

  before(async () => {
    // P holds every connection open (ESTABLISHED, or CLOSE_WAIT once the client ends);
    // R closes when the client does (the client is left in TIME_WAIT); Q is P on ::1.
    ports.P = (await listen(createServer({ allowHalfOpen: true }), "127.0.0.1")) ?? 0;
    ports.R = (await listen(createServer(), "127.0.0.1")) ?? 0;
    ports.Q = (await listen(createServer({ allowHalfOpen: true }), "::1")) ?? 0;
    await connect("127.0.0.1", ports.P, false);
    await connect("127.0.0.1", ports.P, true);
    await connect("127.0.0.1", ports.R, true);
    if (ports.Q) {
      await connect("::1", ports.Q, false);
      await connect("::1", ports.Q, true);
    }
    const mine = new Set([ports.P, ports.Q, ports.R].filter((p) => p !== 0));
    ours = (s) => mine.has(s.local.port) || mine.has(s.remote.port);
    for (let i = 0; i < 50; i++) {
      const states = ss([])
        .filter(ours)
        .map((s) => s.state);
      if (states.filter((s) => s === 8).length === (ports.Q ? 2 : 1) && states.includes(6)) break;
      await sleep(40);
    }
    everything = ss([]).filter(ours);
  });

  after(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  it("made sockets in every state the filters compare", () => {
    const states = new Set(everything.map((s) => s.state));
    // ESTABLISHED, FIN_WAIT2, TIME_WAIT, CLOSE_WAIT, LISTEN
    assert.deepEqual(
      [...states].sort((a, b) => a - b),
      [1, 5, 6, 8, 10],
    );
  });

  const FILTERS = [
    "sport = :P or dport = :P",
    "sport = :P or sport = :1 and sport = :2",
    "sport = :1 and sport = :2 or sport = :P",
    "state established",
    "state close-wait",
    "state time-wait",
    "state fin-wait-2",
    "exclude established",
    "state connected",
    "state bucket",
    "state synchronized exclude time-wait",
    "state established sport = :P or dport = :P",
    "src 127.0.0.1",
    "src 127.0.0.0/8",
    "dst 127.0.0.1:P",
    "src = 127.0.0.1:R",
    "sport eq :P",
    "dport == :P",
    "sport > :P",
    "sport >= :P",
    "dport < :P",
    "dport gt :1024",
    "sport ne :P",
    "not sport = :P",
    "! dport = :P",
    "src :P",
    "dst *:R",
    "src 0.0.0.0/0",
    "dst 127.0.0.1/32 && sport > :1024",
    "state close-wait state time-wait",
    "src [::1]",
    "src [::1/64]",
    "dst [::1]:Q",
    "src ::/0",
    "src 127.0.0.1:P || src [::1]:Q",
    "( sport = :Q or dport = :Q ) and not dport = :0",
  ];
  for (const template of FILTERS) {
    it(template, (t) => {
      if (template.includes("Q") && ports.Q === 0) {
        t.skip("::1 is not available");
        return;
      }
      const words = template.replace(/[PQR]/g, (p) => String(ports[p as "P" | "Q" | "R"])).split(" ");
      const f = compileFilter(words);
      const mine = everything.filter(f.matches).map(key).sort();
      const theirs = ss(words).filter(ours).map(key).sort();
      assert.deepEqual(mine, theirs);
    });
  }
});
