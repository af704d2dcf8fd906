/**
 * @module The live state tracer: the addon's BpfStateTracer (a raw
 * tracepoint program on sock:inet_sock_set_state, assembled in native/bpf-*)
 * opened with the running kernel's struct offsets from its BTF. Failures
 * become one clear sentence: PermissionError without root or CAP_BPF and
 * CAP_PERFMON (exit 4), TracerUnavailable otherwise (no addon, no BTF, no
 * tracepoint, a verifier refusal), so callers can fall back.
 */
import { readFileSync } from "node:fs";
import { InputError, PermissionError } from "../../model/errors.js";
import { type BpfStateTracerHandle, loadNative } from "../native.js";
import { Btf } from "./btf.js";
import { BTF_PATH } from "./kernel-btf.js";
import { type SockOffsets, sockOffsets } from "./sock-offsets.js";
import { decodeStateChanges, type StateChange } from "./state-event.js";

/** The tracer cannot run on this host (not a permission matter): callers fall back or exit 3. */
export class TracerUnavailable extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "TracerUnavailable";
  }
}

export interface TracerFilter {
  /** idiag_states-style mask of the new states to keep (all: 0xfff). */
  stateMask: number;
  /** Keep one namespace only (its inode); 0: every namespace. */
  netnsInode: number;
}

export interface StateTracer {
  /** The changes since the last call (waits for at least one); null once closed. */
  next(): Promise<StateChange[] | null>;
  /** Changes the kernel dropped (ring buffer full) or skipped (already running on that CPU). */
  lost(): number;
  /** Detaches the program; a pending next() settles. */
  close(): void;
  /** Add to an event's monotonicMs for wall-clock ms since the epoch (taken once at start). */
  readonly wallOffsetMs: number;
}

/** CLOCK_MONOTONIC (libuv's hrtime, the clock bpf_ktime_get_ns reads) to wall-clock ms. */
export function monotonicToWallOffsetMs(): number {
  return Date.now() - Number(process.hrtime.bigint()) / 1e6;
}

function kernelOffsets(btfPath: string): SockOffsets {
  let blob: Buffer;
  try {
    blob = readFileSync(btfPath);
  } catch (err) {
    throw new TracerUnavailable(
      `cannot read the kernel's BTF (${btfPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the tracer needs a kernel built with CONFIG_DEBUG_INFO_BTF`,
    );
  }
  const found = sockOffsets(new Btf(blob));
  if ("missing" in found) throw new TracerUnavailable(`the kernel's BTF lacks ${found.missing}`);
  return found.offsets;
}

/** One sentence for a failure to load or attach. */
export function tracerOpenError(err: NodeJS.ErrnoException & { verifierLog?: string }): Error {
  const syscall = err.syscall ?? "";
  if (err.code === "EPERM" || (err.code === "EACCES" && !err.verifierLog)) {
    return new PermissionError(
      "sockdoc trace needs root (or CAP_BPF and CAP_PERFMON) to load its BPF program; run it with sudo",
    );
  }
  if (syscall.includes("RAW_TRACEPOINT_OPEN") && err.code === "ENOENT") {
    return new TracerUnavailable(
      "this kernel has no tracepoint sock:inet_sock_set_state (Linux 4.16 or later has it)",
    );
  }
  if (err.verifierLog) {
    return new TracerUnavailable(
      `the kernel refused the tracer's BPF program: ${err.verifierLog.replace(/\s+/g, " ")}`,
    );
  }
  return new TracerUnavailable(`the BPF state tracer could not start (${err.message})`);
}

/** Opens the tracer; throws PermissionError or TracerUnavailable (one line each). */
export function openStateTracer(filter: TracerFilter, btfPath = BTF_PATH): StateTracer {
  const { addon, error } = loadNative();
  if (!addon) throw new TracerUnavailable(`the BPF state tracer needs the native addon (${error})`);
  const offsets = kernelOffsets(btfPath);
  let handle: BpfStateTracerHandle;
  try {
    handle = new addon.BpfStateTracer(offsets, filter);
  } catch (err) {
    throw tracerOpenError(err as NodeJS.ErrnoException);
  }
  const wallOffsetMs = monotonicToWallOffsetMs();
  return {
    wallOffsetMs,
    async next() {
      const bytes = await handle.nextAsync();
      return bytes === null ? null : decodeStateChanges(bytes);
    },
    lost: () => handle.lost(),
    close: () => handle.close(),
  };
}
