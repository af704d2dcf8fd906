/**
 * @module Kernel facts: release and hostname from <root>/sys/kernel, and
 * version comparison for advice that depends on it (tcp_tw_recycle gone in
 * 4.12, TIME_WAIT destroy in 6.0, tcp_tw_reuse_delay in 6.14).
 */
import type { ProcFs } from "./procfs.js";

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * "6.1.0-18-amd64" -> {6, 1, 0}; "4.12" -> {4, 12, 0}; "3.10.0-1160.el7.x86_64"
 * -> {3, 10, 0}. null when the text does not start with MAJOR.MINOR.
 */
export function parseKernelVersion(release: string): KernelVersion | null {
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/**
 * Whether v is at least min ("4.12", "6.0.3"). A release string that cannot
 * be parsed counts as not at least anything: advice then takes the cautious
 * branch.
 */
export function kernelAtLeast(v: KernelVersion | string | null, min: string): boolean {
  const have = typeof v === "string" ? parseKernelVersion(v) : v;
  const want = parseKernelVersion(min);
  if (!want) throw new Error(`kernelAtLeast: bad minimum version "${min}"`);
  if (!have) return false;
  if (have.major !== want.major) return have.major > want.major;
  if (have.minor !== want.minor) return have.minor > want.minor;
  return have.patch >= want.patch;
}

/** Kernel release ("6.1.0-18-amd64"), or null when the root has none. */
export function readKernelRelease(proc: ProcFs): string | null {
  return proc.tryRead("sys", "kernel", "osrelease")?.trim() || null;
}

/** Hostname of the UTS namespace the root belongs to, or null. */
export function readHostname(proc: ProcFs): string | null {
  return proc.tryRead("sys", "kernel", "hostname")?.trim() || null;
}
