/**
 * @module Scopes: what one inspection looks at. The live host (its /proc, or
 * a --proc-root tree) or a capture read once, so that every
 * analysis of one inspection sees the same sockets and the same facts.
 */
import type { Family } from "../model/endpoint.js";
import type { NetnsRef } from "../model/netns.js";
import type { CaptureSource } from "../capture/capture-source.js";
import type { ProcFs } from "../sources/procfs.js";

/** Where the host's sockets are read: netlink when it can be, /proc otherwise (auto). */
export type SourceChoice = "auto" | "netlink" | "proc";

export interface HostScope {
  kind: "host";
  /** The /proc every read goes through (a fixture tree for --proc-root). */
  proc: ProcFs;
  source: SourceChoice;
  families: readonly Family[];
  /** A network namespace other than sockdoc's own, or its own named for output; absent: sockdoc's own. */
  netns?: NetnsTarget;
  /**
   * Read the established table in one kernel walk (TIME_WAIT with the other
   * states) instead of two at once on two threads. Each walk visits every
   * socket of the table: at 240k sockets the second costs ~35 ms of kernel
   * CPU to save ~15 ms of wall time. For the commands that read again and
   * again (the exporter, the watcher), whose cost is CPU per read; one-shot
   * commands keep the two lanes. (Another namespace is always read in one walk.)
   */
  oneWalk?: boolean;
}

/** The scopes of a command that reads them again and again: one walk each (HostScope.oneWalk). */
export function readRepeatedly<S extends Scope>(scopes: readonly S[]): S[] {
  return scopes.map((s) => (s.kind === "host" ? { ...s, oneWalk: true } : s));
}

export interface NetnsTarget {
  ref: NetnsRef;
  /** A path setns() can enter it by: /run/netns/NAME, a runtime's bind mount, /proc/PID/ns/net. */
  path: string;
  /** Processes inside: /proc/PID/net is the namespace's (the /proc fallback and its counters). */
  pids: readonly number[];
  /** The namespace sockdoc itself runs in: read as usual, no entering. */
  own: boolean;
}

export interface CaptureScope {
  kind: "capture";
  /**
   * The capture: a file or stdin streamed (its sockets read once, as the
   * inspection asks for them), a sosreport or archive read whole.
   */
  capture: CaptureSource;
  families: readonly Family[];
}

export type Scope = HostScope | CaptureScope;
