/**
 * @module How tables and messages name a network namespace.
 */
import type { NetnsRef } from "../model/netns.js";

/** "RUNTIME:[POD_NS/POD/]CONTAINER", the ip netns name, or "net:[INODE]". */
export function netnsLabel(ref: NetnsRef): string {
  const c = ref.container;
  if (c) {
    const who = c.name ?? c.id.slice(0, 12);
    const pod = c.pod?.name ? `${c.pod.namespace ? `${c.pod.namespace}/` : ""}${c.pod.name}/` : "";
    return `${c.runtime}:${pod}${who}`;
  }
  return ref.name ?? `net:[${ref.inode}]`;
}

/** A namespace's labels for metrics: stable names (not pids), empty where unknown. */
export function netnsLabels(ref: NetnsRef): Record<string, string> {
  const c = ref.container;
  return {
    netns: ref.name ?? `net:[${ref.inode}]`,
    container: c ? (c.name ?? c.id.slice(0, 12)) : "",
    pod: c?.pod ? `${c.pod.namespace ? `${c.pod.namespace}/` : ""}${c.pod.name ?? c.pod.uid}` : "",
  };
}
