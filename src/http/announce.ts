/**
 * @module What a server says when it starts: where it listens, and a
 * warning when that is beyond this host (socket and process names are not
 * for everyone).
 */
import { isLoopbackAddress } from "./bind-scope.js";
import { hostPort } from "./listen-address.js";
import type { RunningServer } from "./server.js";

export function announce(server: RunningServer, what: string, path: string): void {
  const where = hostPort(server.host, server.port);
  process.stderr.write(`sockdoc: serving ${what} on http://${where}${path}\n`);
  if (!isLoopbackAddress(server.host)) {
    process.stderr.write(
      `sockdoc: warning: ${where} is reachable from other hosts, which can then read socket ` +
        "addresses and process names; listen on 127.0.0.1 unless that is meant\n",
    );
  }
}
