import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadNative } from "../../src/sources/native.js";
import { repoRoot } from "../support/run.js";

const FDS = 9000; // the holder's fds: a scan of them takes tens of ms

/** `sleep` holding FDS fds, started by a shell that reaps it the moment it dies (as init would). */
async function startHolder(): Promise<{ pid: number; shell: ChildProcess }> {
  const fd = openSync("/dev/null", "r");
  try {
    const shell = spawn("sh", ["-c", "sleep 60 & echo $!; wait"], {
      stdio: ["ignore", "pipe", "inherit", ...new Array<number>(FDS).fill(fd)],
    });
    const line = await new Promise<string>((resolve, reject) => {
      shell.once("error", reject);
      shell.stdout!.once("data", (d: Buffer) => resolve(String(d)));
    });
    return { pid: Number(line.trim()), shell };
  } finally {
    closeSync(fd);
  }
}

/** Runs the scanning helper until the holder is gone, killing it after delayMs. */
async function scanThroughExit(mode: "native" | "js", delayMs: number) {
  const { pid, shell } = await startHolder();
  const root = mkdtempSync(join(tmpdir(), "sockdoc-exit-"));
  try {
    symlinkSync(`/proc/${pid}`, join(root, String(pid)));
    const helper = join(repoRoot, "dist", "test", "fixtures", "native", "scan-until-exit.js");
    const scanner = spawn(process.execPath, [helper, root, String(pid), mode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => scanner.once("close", (code) => resolve(code)));
    let out = "";
    let killed = false;
    scanner.stdout!.on("data", (d: Buffer) => {
      out += String(d);
      if (!killed && out.startsWith("scanning\n")) {
        killed = true;
        setTimeout(() => process.kill(pid, "SIGKILL"), delayMs);
      }
    });
    assert.equal(await exited, 0);
    return JSON.parse(out.slice("scanning\n".length)) as { scans: number; denied: number; gone: number };
  } finally {
    shell.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

for (const mode of ["native", "js"] as const) {
  const skip = mode === "native" && !loadNative().addon ? "native addon not available" : false;
  describe(`the ${mode} fd scan, when a process exits during it`, { skip }, () => {
    it("counts the process as gone, never as refusing to show its fds", async () => {
      // Several kills at different moments: at least one lands in the middle of a scan.
      const runs = [];
      for (const delayMs of [0, 7, 15]) runs.push(await scanThroughExit(mode, delayMs));
      for (const r of runs) {
        assert.ok(r.scans >= 3, `only ${r.scans} scans`);
        assert.equal(r.denied, 0, `a scan blamed the exit on a refusal: ${JSON.stringify(runs)}`);
        assert.ok(r.gone >= 1, `no scan counted the exit: ${JSON.stringify(runs)}`);
      }
    });
  });
}
