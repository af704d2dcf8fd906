/**
 * @module Child process of the time-wait lab, run inside the lab's own
 * network namespace (`ip netns exec`): sets that namespace's
 * ip_local_port_range and tcp_tw_reuse = 0 (so TIME_WAIT holds each port
 * its whole 60 s, loopback included), starts a loopback server that closes
 * when the client does, and opens R connections a second, each closed by
 * the client first, so TIME_WAIT lands on the client's port. Prints JSON
 * lines on stdout: {"event":"listening"}, one {"event":"progress"} a
 * second, {"event":"exhausted"} at the first connect() that fails with
 * EADDRNOTAVAIL, and {"event":"done"}. Exits when the duration is over or
 * its stdin (the lab's lifeline) closes.
 * Usage: node churn.js RATE DURATION_S SERVER_PORT [LO HI]
 *
 * A TIME_WAIT socket holds no fd, and each connection lives a few
 * milliseconds, so the fds open at once stay far below a process's limit
 * (in flight is capped at MAX_IN_FLIGHT): one process churns any rate the
 * lab allows.
 */
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";

const [rateText = "0", durationText = "0", portText = "0", lo, hi] = process.argv.slice(2);
const rate = Number(rateText);
const durationMs = Number(durationText) * 1000;
const serverPort = Number(portText);
const HOST = "127.0.0.1";
/** Connections open at once; beyond this the churn waits (a stalled server must not pile up fds). */
const MAX_IN_FLIGHT = 4096;
const TICK_MS = 5;

function say(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, t: Date.now(), ...fields })}\n`);
}

function sysctl(name: string, value: string): void {
  writeFileSync(`/proc/sys/net/ipv4/${name}`, value);
}

function range(): [number, number] {
  const [a, b] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
  return [Number(a), Number(b)];
}

/** TIME_WAIT sockets in this namespace: the "tw" of /proc/net/sockstat. */
function timeWaitNow(): number {
  const m = /\btw (\d+)/.exec(readFileSync("/proc/net/sockstat", "utf8"));
  return m ? Number(m[1]) : 0;
}

if (lo !== undefined && hi !== undefined) sysctl("ip_local_port_range", `${lo} ${hi}`);
sysctl("tcp_tw_reuse", "0");
const [first, last] = range();
const ports = last - first + 1;

let made = 0;
let failed = 0;
let inFlight = 0;
let exhaustedAt: number | null = null;
let madeAtExhaustion: number | null = null;
const otherErrors = new Map<string, number>();

const server = net.createServer((s) => {
  s.resume(); // reads the client's FIN; allowHalfOpen false closes our side then
  s.on("error", () => {});
});
server.on("error", (err) => {
  process.stderr.write(`lab server: ${err.message}\n`);
  process.exit(1);
});

function connectOne(): void {
  inFlight++;
  const c = net.connect({ host: HOST, port: serverPort });
  c.on("connect", () => {
    made++;
    c.end(); // the client sends FIN first: TIME_WAIT is the client's
  });
  c.on("error", (err: NodeJS.ErrnoException) => {
    failed++;
    const code = err.code ?? err.message;
    if (code === "EADDRNOTAVAIL") {
      if (exhaustedAt === null) {
        exhaustedAt = Date.now();
        madeAtExhaustion = made;
        say("exhausted", { made, timeWait: timeWaitNow() });
      }
    } else otherErrors.set(code, (otherErrors.get(code) ?? 0) + 1);
  });
  c.on("close", () => {
    inFlight--;
  });
  c.resume();
}

server.listen(serverPort, HOST, () => {
  const start = Date.now();
  say("listening", { port: serverPort, portRange: [first, last], ports });
  let attempted = 0;
  // Catch-up pacing: each tick opens what the rate owes since the start, so timer jitter does not lower it.
  const churn = setInterval(() => {
    const owed = Math.min(
      Math.floor((rate * (Date.now() - start)) / 1000),
      Math.floor((rate * durationMs) / 1000),
    );
    while (attempted < owed && inFlight < MAX_IN_FLIGHT) {
      attempted++;
      connectOne();
    }
  }, TICK_MS);
  const progress = setInterval(() => {
    const tw = timeWaitNow();
    say("progress", { made, failed, timeWait: tw, portsLeft: Math.max(0, ports - tw - inFlight) });
  }, 1000);
  setTimeout(() => {
    clearInterval(churn);
    clearInterval(progress);
    const tw = timeWaitNow();
    say("done", {
      startedAt: start,
      made,
      failed,
      timeWait: tw,
      portsLeft: Math.max(0, ports - tw),
      exhaustedAt,
      madeAtExhaustion,
      otherErrors: Object.fromEntries(otherErrors),
    });
    process.exit(0);
  }, durationMs);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => {}); // the lab stops this process itself, after Ctrl-C reaches it too
