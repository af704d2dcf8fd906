/**
 * @module Test helper: a netstat -tanp capture of any number of rows, as a
 * busy server prints it (one process, a few hundred peers, the four states
 * a leak shows), for the size and memory tests.
 */

const STATES = ["ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "FIN_WAIT2"];

export const NETSTAT_HEADER =
  "Active Internet connections (servers and established)\n" +
  "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\n";

/** Row i of the capture (no line end). */
export function netstatRow(i: number): string {
  const peer = `10.1.${(i >> 8) & 1}.${i & 255}:${40000 + (i % 20000)}`;
  const state = STATES[i % STATES.length]!;
  const owner = state === "TIME_WAIT" ? "-" : "4242/java";
  return `tcp        0      0 10.0.0.5:8080           ${peer.padEnd(23)} ${state.padEnd(11)} ${owner}`;
}

/** The whole capture of rows rows. */
export function netstatCapture(rows: number): string {
  const lines: string[] = [NETSTAT_HEADER];
  for (let i = 0; i < rows; i++) lines.push(`${netstatRow(i)}\n`);
  return lines.join("");
}
