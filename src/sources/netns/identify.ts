/**
 * @module Who owns a network namespace: the container behind it, from the
 * cgroup paths of the processes in it (a pod's containers share its
 * namespace: an application container is preferred to the pod's sandbox,
 * which names nothing), named from the runtime's files on the host.
 */
import type { ContainerRef, NetnsRef } from "../../model/netns.js";
import { parseCgroup } from "../owners/pid-files.js";
import type { ProcFs } from "../procfs.js";
import { nameContainer } from "./container-names.js";
import type { FoundNamespace } from "./discover.js";

/** Containers looked at per namespace: a pod has a few, a host namespace may have thousands of processes. */
const MAX_PIDS = 64;

export function identifyNamespace(ns: FoundNamespace, proc: ProcFs, hostRoot = "/"): NetnsRef {
  let container: ContainerRef | null = null;
  const seen = new Set<string>();
  for (const pid of ns.pids.slice(0, MAX_PIDS)) {
    const cgroup = parseCgroup(proc.tryRead(pid, "cgroup") ?? "");
    if (!cgroup?.containerId || !cgroup.runtime || seen.has(cgroup.containerId)) continue;
    seen.add(cgroup.containerId);
    const named = nameContainer(hostRoot, cgroup.runtime, cgroup.containerId, cgroup.podUid);
    // The first named container wins; an unnamed one (a pod's sandbox) only until a named one turns up.
    if (container === null || (container.name === null && named.name !== null)) container = named;
    if (container.name !== null) break;
  }
  return { inode: ns.inode, name: ns.name, container };
}
