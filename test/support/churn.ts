/**
 * @module Test helper process: connection churn toward one destination. A
 * server on HOST:PORT and COUNT connections to it, one after the other, each
 * closed by the client first, so the client side of each sits in TIME_WAIT
 * on an ephemeral port. Prints one JSON line ({"made": N, "failed": code})
 * and exits. Usage: node churn.js HOST PORT COUNT
 */
import net from "node:net";

const [host = "127.0.0.1", portText = "5432", countText = "10"] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);

/** One connection: connect, the client ends first, resolved once both sides closed. */
function churnOne(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host, port }, () => c.end());
    c.on("error", reject);
    c.on("close", () => resolve());
    c.resume();
  });
}

const server = net.createServer((s) => s.resume());
server.listen(port, host, async () => {
  let made = 0;
  let failed: string | null = null;
  try {
    for (; made < count; made++) await churnOne();
  } catch (err) {
    failed = (err as NodeJS.ErrnoException).code ?? String(err);
  }
  process.stdout.write(`${JSON.stringify({ made, failed })}\n`);
  server.close();
});
