/**
 * @module The container a process runs in, read from its cgroup paths
 * (/proc/PID/cgroup, cgroup v1 and v2; owners/pid-files.ts splits the file):
 * the runtime and container id as the runtimes and their systemd or cgroupfs
 * drivers name the cgroup, and the pod uid under Kubernetes. Pure.
 */
import type { ContainerRuntime } from "../../model/netns.js";

export interface CgroupContainer {
  runtime: ContainerRuntime;
  id: string;
  /** Kubernetes pod uid (dashes restored), when the path is under kubepods. */
  podUid: string | null;
}

const HEX64 = "[0-9a-f]{64}";

/** [pattern on one path segment, runtime]; the first that matches a segment wins, deepest segment first. */
const SEGMENTS: Array<[RegExp, ContainerRuntime]> = [
  [new RegExp(`^docker-(${HEX64})\\.scope$`), "docker"],
  [new RegExp(`^cri-containerd-(${HEX64})\\.scope$`), "containerd"],
  [new RegExp(`^crio-(${HEX64})\\.scope$`), "cri-o"],
  [new RegExp(`^crio-(${HEX64})$`), "cri-o"],
  [new RegExp(`^libpod-(${HEX64})\\.scope$`), "podman"],
  [new RegExp(`^libpod-(${HEX64})$`), "podman"],
  [/^systemd-nspawn@(.+)\.service$/, "systemd-nspawn"],
  [/^lxc\.payload\.(.+)$/, "lxc"],
];

/** cgroupfs drivers: the id is a bare segment under a runtime's directory. */
const PARENTS: Array<[string, ContainerRuntime]> = [
  ["docker", "docker"],
  ["lxc", "lxc"],
  ["libpod_parent", "podman"],
];

/** "pod1234abcd_..." (systemd driver, underscores) or "pod1234abcd-..." (cgroupfs): the uid with dashes. */
function podUidOf(segments: readonly string[]): string | null {
  for (const seg of segments) {
    const m =
      /^(?:kubepods-(?:besteffort-|burstable-)?)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/.exec(
        seg,
      );
    if (m) return m[1]!.replaceAll("_", "-");
  }
  return null;
}

/** The container a cgroup path belongs to, or null for one on the host. */
export function containerOfCgroupPath(path: string): CgroupContainer | null {
  const segments = path.split("/").filter((s) => s !== "");
  const kube = segments.some((s) => s === "kubepods" || s.startsWith("kubepods"));
  const podUid = kube ? podUidOf(segments) : null;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    for (const [pattern, runtime] of SEGMENTS) {
      const m = pattern.exec(seg);
      if (m) return { runtime, id: m[1]!, podUid };
    }
    const parent = segments[i - 1];
    for (const [dir, runtime] of PARENTS) {
      if (parent === dir && (runtime === "lxc" || new RegExp(`^${HEX64}$`).test(seg))) {
        return { runtime, id: seg, podUid };
      }
    }
    // Kubernetes with the cgroupfs driver: /kubepods/burstable/pod<uid>/<id>; the runtime is not named.
    if (kube && podUid && new RegExp(`^${HEX64}$`).test(seg))
      return { runtime: "containerd", id: seg, podUid };
  }
  return null;
}
