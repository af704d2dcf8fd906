/**
 * @module A capture as the inspection layer reads it: what is known before
 * its sockets (host, source, time) and its sockets handed over one at a
 * time. A capture file or stdin is streamed (stream-capture.ts: its sockets
 * are never all held); a sosreport or an archive is read whole first and
 * its sockets handed over from the Snapshot.
 */
import type { HostFacts, Snapshot, SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";

/** Host name for captures that do not say which host printed them. */
export const UNKNOWN_CAPTURE_HOST = "(capture)";

export interface CaptureSource {
  readonly host: HostFacts;
  readonly source: SourceInfo;
  readonly takenAt: number;
  /** Whether the capture names owners (a process column); final once eachSocket returned. */
  readonly ownersResolved: boolean;
  /** About the capture (rows skipped, odd addresses); final once eachSocket returned. */
  readonly warnings: readonly string[];
  /** Whether eachSocket may be called again (a file; stdin is read once). */
  readonly rereadable: boolean;
  /** Hands every socket to visit, in the capture's order; InputError when the capture turns out unreadable. */
  eachSocket(visit: (s: TcpSocket) => void): void;
}

/** A capture already read whole (a sosreport, an archive member). */
export function heldCapture(snapshot: Snapshot): CaptureSource {
  return {
    host: snapshot.host,
    source: snapshot.source,
    takenAt: snapshot.takenAt,
    ownersResolved: snapshot.ownersResolved,
    warnings: snapshot.warnings,
    rereadable: true,
    eachSocket: (visit) => {
      for (const s of snapshot.sockets) visit(s);
    },
  };
}
