/**
 * @module Test helpers: run bin/sockdoc (optionally inside a namespace) and
 * start the socket-maker process.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Repository root (this file lives at dist/test/support/run.js). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const sockdocBin = join(repoRoot, "bin", "sockdoc");
export const isRoot = process.getuid?.() === 0;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/sockdoc with args; with netns, inside that namespace. */
export function sockdoc(args: string[], opts: { netns?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const [cmd, argv] = opts.netns
    ? ["ip", ["netns", "exec", opts.netns, sockdocBin, ...args]]
    : [sockdocBin, args];
  const r = spawnSync(cmd, argv as string[], {
    encoding: "utf8",
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Pair {
  localPort: number;
  remotePort: number;
  fd: number | null;
}

export interface MadeSockets {
  pid: number;
  host: string;
  leakyPort: number;
  politePort: number;
  established: Pair[];
  closeWait: Pair[];
  timeWait: Pair[];
  child: ChildProcess;
}

/** Starts the socket maker and waits for its JSON line. */
export async function makeSockets(
  opts: { host?: string; established?: number; closeWait?: number; timeWait?: number; netns?: string } = {},
): Promise<MadeSockets> {
  const script = join(repoRoot, "dist", "test", "support", "socket-maker.js");
  const args = [
    script,
    opts.host ?? "127.0.0.1",
    String(opts.established ?? 2),
    String(opts.closeWait ?? 2),
    String(opts.timeWait ?? 2),
  ];
  const child = opts.netns
    ? spawn("ip", ["netns", "exec", opts.netns, process.execPath, ...args], {
        stdio: ["ignore", "pipe", "inherit"],
      })
    : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`socket-maker exited with ${code}`)));
  });
  return { ...(JSON.parse(first) as Omit<MadeSockets, "child">), child };
}

/** Creates a network namespace with lo up; returns its name and a remover. */
export function createNetns(tag: string): { name: string; remove: () => void } {
  const name = `sockdoc-test-${tag}-${process.pid}`;
  const add = spawnSync("ip", ["netns", "add", name], { encoding: "utf8" });
  if (add.status !== 0) throw new Error(`ip netns add ${name}: ${add.stderr.trim()}`);
  spawnSync("ip", ["-n", name, "link", "set", "lo", "up"]);
  return { name, remove: () => void spawnSync("ip", ["netns", "delete", name]) };
}

/** Sets sysctls (KEY=VALUE) inside a namespace the test made, never the host's; throws when refused. */
export function setNetnsSysctls(netns: string, ...settings: string[]): void {
  const set = spawnSync("ip", ["netns", "exec", netns, "sysctl", "-q", "-w", ...settings], {
    encoding: "utf8",
  });
  if (set.status !== 0) throw new Error(`sysctl in ${netns}: ${set.stderr.trim()}`);
}

/** Counts per state from `ss -tan` output, with canonical names. */
export function countSsStates(ssOutput: string): { total: number; states: Record<string, number> } {
  const names: Record<string, string> = {
    ESTAB: "ESTABLISHED",
    "SYN-SENT": "SYN_SENT",
    "SYN-RECV": "SYN_RECV",
    "FIN-WAIT-1": "FIN_WAIT1",
    "FIN-WAIT-2": "FIN_WAIT2",
    "TIME-WAIT": "TIME_WAIT",
    UNCONN: "CLOSE",
    "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK",
    LISTEN: "LISTEN",
    CLOSING: "CLOSING",
  };
  const states: Record<string, number> = {};
  let total = 0;
  for (const line of ssOutput.split("\n").slice(1)) {
    const word = line.split(/\s+/)[0];
    if (!word) continue;
    const name = names[word] ?? word;
    states[name] = (states[name] ?? 0) + 1;
    total++;
  }
  return { total, states };
}

export interface LabReady {
  serverPid: number;
  port: number;
}

/** `sockdoc lab close-wait ARGS --json` inside a namespace; resolves once its server is ready. */
export async function startLab(
  netns: string,
  args: string[],
): Promise<{ child: ChildProcess; ready: LabReady }> {
  const child = spawn("ip", ["netns", "exec", netns, sockdocBin, "lab", "close-wait", ...args, "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`lab close-wait exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) as LabReady };
}
