/**
 * @module Child process of the close-wait lab: a Node server with one
 * deliberate defect. Prints {"listening": PORT} on stdout, then runs until
 * its stdin closes (so it never outlives the lab, even after a SIGKILL).
 * Usage: node node-server.js CAUSE HOST PORT
 */
import net from "node:net";

const [cause = "", host = "127.0.0.1", portText = "0"] = process.argv.slice(2);
const held: net.Socket[] = [];

function serverFor(kind: string): net.Server {
  if (kind === "eof-not-closed") {
    // Reads everything, sees 'end', and never calls end(): Recv-Q 0 in CLOSE_WAIT.
    return net.createServer({ allowHalfOpen: true }, (s) => {
      held.push(s);
      s.resume();
      s.on("end", () => {});
    });
  }
  // Never reads: the FIN (and any data) stays in the receive queue.
  return net.createServer({ pauseOnConnect: true }, (s) => {
    held.push(s);
  });
}

const server = serverFor(cause);
server.on("error", (err) => {
  process.stderr.write(`lab server: ${err.message}\n`);
  process.exit(1);
});
server.listen(Number(portText), host, () => {
  const port = (server.address() as net.AddressInfo).port;
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
