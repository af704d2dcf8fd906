/**
 * @module The captures the RSS table reads with --input: a `netstat -tan`
 * and an `ss -tan` capture of a million rows each, written the way the
 * tools print them (a few listeners first, then a busy server's mix of
 * states from a few thousand peers), so that the peak RSS of reading a
 * capture can be put against the capture's size.
 */
import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type CaptureKind = "netstat" | "ss";

/** Rows of each capture. */
export const CAPTURE_ROWS = 1_000_000;

const STATES = ["TIME_WAIT", "ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "FIN_WAIT2", "ESTABLISHED"];
const SS_STATES: Record<string, string> = {
  TIME_WAIT: "TIME-WAIT",
  ESTABLISHED: "ESTAB",
  CLOSE_WAIT: "CLOSE-WAIT",
  FIN_WAIT2: "FIN-WAIT-2",
};
const LISTEN_PORTS = [22, 80, 443, 5432, 6379, 8080];

/** A server's clients: 4,096 peer addresses, each on many ports (a real host has no million peers). */
function peer(i: number): string {
  const a = (i * 2654435761) >>> 20;
  return `10.${20 + (a >> 8)}.${a & 255}.7:${32768 + (i % 28000)}`;
}

function netstatRow(i: number): string {
  const state = STATES[i % STATES.length]!;
  const q = state === "CLOSE_WAIT" ? "1" : "0";
  return (
    `tcp        ${q}      0 10.0.0.5:${LISTEN_PORTS[i % 6]}`.padEnd(44) + ` ${peer(i).padEnd(23)} ${state}`
  );
}

function ssRow(i: number): string {
  const state = SS_STATES[STATES[i % STATES.length]!]!;
  const q = state === "CLOSE-WAIT" ? "1" : "0";
  return `${state.padEnd(10)} ${q.padEnd(6)} 0      ${`10.0.0.5:${LISTEN_PORTS[i % 6]}`.padEnd(20)} ${peer(i)}`;
}

function lines(kind: CaptureKind, rows: number, write: (text: string) => void): void {
  if (kind === "netstat") {
    write("Active Internet connections (servers and established)\n");
    write("Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n");
    for (const p of LISTEN_PORTS)
      write(`tcp        0      0 0.0.0.0:${p}`.padEnd(44) + " 0.0.0.0:*               LISTEN     \n");
  } else {
    write("State      Recv-Q Send-Q Local Address:Port   Peer Address:Port\n");
    for (const p of LISTEN_PORTS) write(`LISTEN     0      4096   0.0.0.0:${p}`.padEnd(47) + " 0.0.0.0:*\n");
  }
  const row = kind === "netstat" ? netstatRow : ssRow;
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(row(i));
    if (batch.length === 10_000) {
      write(`${batch.join("\n")}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) write(`${batch.join("\n")}\n`);
}

/** Writes the capture of rows rows to a scratch file; its path and size. */
export function writeCapture(kind: CaptureKind, rows = CAPTURE_ROWS): { path: string; bytes: number } {
  const path = join(tmpdir(), `sockdoc-bench-${kind}-${process.pid}.txt`);
  const fd = openSync(path, "w");
  try {
    lines(kind, rows, (text) => writeSync(fd, text));
  } finally {
    closeSync(fd);
  }
  return { path, bytes: statSync(path).size };
}

export function removeCapture(path: string): void {
  rmSync(path, { force: true });
}
