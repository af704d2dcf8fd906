/**
 * @module Owners of traced sockets, found in user space right after their
 * changes: the kernel program cannot name the owner (the change to
 * CLOSE_WAIT runs in softirq, on whatever task had the CPU). One lookup
 * serves a whole batch of changes: per namespace one sock_diag dump (the
 * 4-tuple gives the socket's inode), then one fd walk for all inodes. A
 * socket already gone, or without an fd, gets a reason instead of an owner.
 */
import type { TcpSocket } from "../../model/socket.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../model/tcp-state.js";
import type { StateChange } from "../../sources/bpf/state-event.js";
import type { NativeAddon } from "../../sources/native.js";
import { findOwnersAsync } from "../../sources/owners.js";
import type { ProcFs } from "../../sources/procfs.js";
import { readSockDiagAsync } from "../../sources/sock-diag-async.js";
import type { NamespaceDirectory } from "./namespace-directory.js";

export type OwnerAnswer =
  | { owner: { pid: number; comm: string } }
  | {
      owner: null;
      why: "closed" | "time-wait" | "gone" | "no fd" | "not found" | "namespace gone" | "no lookup";
    };

/** States whose sockets can have no fd at all, so no dump is made for them. */
function ownerless(state: number): OwnerAnswer | null {
  if (state === TcpState.CLOSE) return { owner: null, why: "closed" };
  if (state === TcpState.TIME_WAIT) return { owner: null, why: "time-wait" };
  return null;
}

/** Dumped without TIME_WAIT (never an fd) and NEW_SYN_RECV (request sockets, never an fd). */
const DUMP_MASK = ALL_STATES_MASK & ~stateBit(TcpState.TIME_WAIT);

function tupleKey(family: number, la: string, lp: number, ra: string, rp: number): string {
  return `${family} ${la} ${lp} ${ra} ${rp}`;
}

function changeKey(c: StateChange): string {
  return tupleKey(c.family, c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
}

function socketKey(s: TcpSocket): string {
  return tupleKey(s.family, s.local.address, s.local.port, s.remote.address, s.remote.port);
}

export class OwnerLookup {
  constructor(
    private readonly proc: ProcFs,
    private readonly addon: NativeAddon,
    private readonly namespaces: NamespaceDirectory,
  ) {}

  /** One answer per change, in order. */
  async resolve(changes: readonly StateChange[]): Promise<OwnerAnswer[]> {
    const answers: Array<OwnerAnswer | undefined> = changes.map((c) => ownerless(c.newState) ?? undefined);
    const byNetns = new Map<number, number[]>();
    changes.forEach((c, i) => {
      if (answers[i] !== undefined) return;
      const list = byNetns.get(c.netns);
      if (list) list.push(i);
      else byNetns.set(c.netns, [i]);
    });
    const inodeOf = new Map<number, number>(); // change index -> inode
    for (const [netns, indexes] of byNetns) {
      const ns = this.namespaces.lookup(netns);
      let sockets: TcpSocket[] | null = null;
      if (ns) {
        try {
          sockets = await readSockDiagAsync(this.addon, DUMP_MASK, [4, 6], ns.path ?? undefined);
        } catch {
          sockets = null; // the namespace went away meanwhile
        }
      }
      if (sockets === null) {
        for (const i of indexes) answers[i] = { owner: null, why: "namespace gone" };
        continue;
      }
      const inodes = new Map<string, number>();
      for (const s of sockets) inodes.set(socketKey(s), s.inode ?? 0);
      for (const i of indexes) {
        const inode = inodes.get(changeKey(changes[i]!));
        if (inode === undefined) answers[i] = { owner: null, why: "gone" };
        else if (inode === 0) answers[i] = { owner: null, why: "no fd" };
        else inodeOf.set(i, inode);
      }
    }
    if (inodeOf.size > 0) {
      const found = await findOwnersAsync(this.proc, new Set(inodeOf.values()), {
        native: this.addon,
        // The walk stops once these few sockets are found; the BPF fd iterator
        // always visits every fd on the host (bench T6: no gain, per batch).
        iterator: false,
      });
      for (const [i, inode] of inodeOf) {
        const first = found.byInode.get(inode)?.[0];
        answers[i] = first
          ? { owner: { pid: first.pid, comm: first.comm } }
          : { owner: null, why: "not found" };
      }
    }
    return answers.map((a) => a ?? { owner: null, why: "no lookup" });
  }
}
