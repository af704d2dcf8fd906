/**
 * @module The host facts a snapshot carries: hostname and kernel release.
 */
import type { HostFacts } from "../model/snapshot.js";
import type { ProcFs } from "./procfs.js";

export function readHostFacts(proc: ProcFs, sysctls: Record<string, string> = {}): HostFacts {
  return {
    hostname: proc.tryRead("sys", "kernel", "hostname")?.trim() || "unknown",
    kernel: proc.tryRead("sys", "kernel", "osrelease")?.trim() || null,
    sysctls,
  };
}
