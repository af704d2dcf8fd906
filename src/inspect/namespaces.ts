/**
 * @module The scopes of --netns and --all-netns: one host scope per network
 * namespace, each named by its inode, `ip netns` name and container.
 */
import type { Family } from "../model/endpoint.js";
import {
  discoverNamespaces,
  type FoundNamespace,
  parseNsLink,
  resolveNetns,
} from "../sources/netns/discover.js";
import { identifyNamespace } from "../sources/netns/identify.js";
import type { ProcFs } from "../sources/procfs.js";
import type { HostScope, SourceChoice } from "./scope.js";

export interface NamespaceChoice {
  /** --netns NAME|PID|PATH */
  spec?: string;
  /** --all-netns */
  all?: boolean;
}

function ownInode(proc: ProcFs): number | null {
  return parseNsLink(proc.tryReadlink("self", "ns", "net") ?? "");
}

/** Host scopes for the namespaces chosen, sockdoc's own first; warnings say what could not be looked into. */
export function namespaceScopes(
  choice: NamespaceChoice,
  base: { proc: ProcFs; source: SourceChoice; families: readonly Family[] },
  hostRoot = "/",
): { scopes: HostScope[]; warnings: string[] } {
  const warnings: string[] = [];
  let found: FoundNamespace[];
  if (choice.spec !== undefined) {
    // The processes inside name its container (and give /proc/PID/net a way in).
    const one = resolveNetns(choice.spec, base.proc, hostRoot);
    const seen = discoverNamespaces(base.proc, hostRoot).namespaces.find((n) => n.inode === one.inode);
    found = [{ ...one, name: one.name ?? seen?.name ?? null, pids: seen?.pids ?? one.pids }];
  } else {
    const discovery = discoverNamespaces(base.proc, hostRoot);
    found = discovery.namespaces;
    if (discovery.deniedPids > 0) {
      const n = discovery.deniedPids;
      const who = `${n} process${n === 1 ? "" : "es"}`;
      warnings.push(
        process.geteuid?.() === 0
          ? `${who} refused to show their network namespace even to root (a security module); their namespaces may be missing`
          : `the network namespaces of ${who} of other users could not be read; run as root (sudo sockdoc ...) to see every namespace`,
      );
    }
  }
  const own = ownInode(base.proc);
  // Where the runtimes keep their state; SOCKDOC_CONTAINER_ROOT points tests at a tree of their own.
  const containerRoot = process.env.SOCKDOC_CONTAINER_ROOT ?? hostRoot;
  const scopes = found.map((ns): HostScope => ({
    kind: "host",
    proc: base.proc,
    source: base.source,
    families: base.families,
    netns: {
      ref: identifyNamespace(ns, base.proc, containerRoot),
      path: ns.path,
      pids: ns.pids,
      own: ns.inode === own,
    },
  }));
  scopes.sort((a, b) => Number(b.netns!.own) - Number(a.netns!.own));
  return { scopes, warnings };
}
