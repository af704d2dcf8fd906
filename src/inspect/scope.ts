/**
 * @module Scopes: what one inspection looks at. The live host (its /proc, or
 * a --proc-root tree) or a capture read once and kept, so that every
 * analysis of one inspection sees the same sockets and the same facts.
 */
import type { Family } from "../model/endpoint.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ProcFs } from "../sources/procfs.js";

/** Where the host's sockets are read: netlink when it can be, /proc otherwise (auto). */
export type SourceChoice = "auto" | "netlink" | "proc";

export interface HostScope {
  kind: "host";
  /** The /proc every read goes through (a fixture tree for --proc-root). */
  proc: ProcFs;
  source: SourceChoice;
  families: readonly Family[];
}

export interface CaptureScope {
  kind: "capture";
  /** The capture as read, every socket of every state; never read again. */
  capture: Snapshot;
  families: readonly Family[];
}

export type Scope = HostScope | CaptureScope;
