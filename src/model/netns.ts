/**
 * @module Network namespaces as sockdoc names them in its output: the
 * namespace's inode, its `ip netns` name, and the container behind it.
 */

export type ContainerRuntime = "docker" | "containerd" | "cri-o" | "podman" | "lxc" | "systemd-nspawn";

export interface PodRef {
  uid: string;
  /** From files on the host (the runtime's state, the kubelet's pod directory); null when none says. */
  name: string | null;
  namespace: string | null;
}

export interface ContainerRef {
  runtime: ContainerRuntime;
  /** The runtime's id (64 hex digits for docker, containerd, cri-o, podman), or a machine name. */
  id: string;
  /** The container's name where the runtime's files say it; null otherwise. */
  name: string | null;
  pod: PodRef | null;
}

export interface NetnsRef {
  /** The nsfs inode: the namespace's identity, as in /proc/PID/ns/net -> net:[INODE]. */
  inode: number;
  /** The `ip netns` name (a file in /run/netns), or null. */
  name: string | null;
  container: ContainerRef | null;
}
