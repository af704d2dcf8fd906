/**
 * @module Names a container from the files its runtime keeps on the host
 * (never a network API): docker's config.v2.json, containerd's task
 * config.json (with the CRI's Kubernetes annotations), CRI-O's and podman's
 * container storage. Every path is under a host root, so a fixture tree can
 * stand in for a host.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ContainerRef, ContainerRuntime, PodRef } from "../../model/netns.js";

/** Any JSON file's parsed content, or null. Runtime files can be large: read at most 4 MiB. */
function readJson(path: string): unknown {
  try {
    const text = readFileSync(path, "utf8");
    return text.length > 4 << 20 ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

function field(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

interface Named {
  name: string | null;
  pod: Omit<PodRef, "uid"> & { uid: string | null };
}

/** Kubernetes' names from a map of labels or annotations (two spellings: dockershim/CRI-O and containerd's CRI). */
function kubeNames(map: unknown): Named {
  const get = (...keys: string[]) => {
    for (const k of keys) {
      const v = str(field(map, k));
      if (v) return v;
    }
    return null;
  };
  return {
    name: get("io.kubernetes.container.name", "io.kubernetes.cri.container-name"),
    pod: {
      uid: get("io.kubernetes.pod.uid", "io.kubernetes.cri.sandbox-uid"),
      name: get("io.kubernetes.pod.name", "io.kubernetes.cri.sandbox-name"),
      namespace: get("io.kubernetes.pod.namespace", "io.kubernetes.cri.sandbox-namespace"),
    },
  };
}

function docker(root: string, id: string): Named | null {
  const config = readJson(join(root, "var/lib/docker/containers", id, "config.v2.json"));
  if (config === null) return null;
  const kube = kubeNames(field(config, "Config", "Labels"));
  return { name: kube.name ?? str(field(config, "Name"))?.replace(/^\//, "") ?? null, pod: kube.pod };
}

function containerd(root: string, id: string): Named | null {
  const tasks = join(root, "run/containerd/io.containerd.runtime.v2.task");
  let spaces: string[];
  try {
    spaces = readdirSync(tasks);
  } catch {
    return null;
  }
  for (const space of spaces) {
    const config = readJson(join(tasks, space, id, "config.json"));
    if (config !== null) return kubeNames(field(config, "annotations"));
  }
  return null;
}

function containerStorage(root: string, id: string): Named | null {
  for (const base of ["run/containers/storage", "var/lib/containers/storage"]) {
    const config = readJson(join(root, base, "overlay-containers", id, "userdata", "config.json"));
    if (config !== null) {
      const kube = kubeNames(field(config, "annotations"));
      if (kube.name !== null || kube.pod.uid !== null) return kube;
    }
    // podman: names in the storage's container list.
    const list = readJson(join(root, base, "overlay-containers", "containers.json"));
    if (Array.isArray(list)) {
      const entry = list.find((c) => field(c, "id") === id);
      const names = field(entry, "names");
      if (Array.isArray(names) && typeof names[0] === "string") {
        return { name: names[0], pod: { uid: null, name: null, namespace: null } };
      }
    }
  }
  return null;
}

/**
 * The container with its name and pod where the runtime's files say them.
 * podUid comes from the cgroup path when the files do not hold it.
 */
export function nameContainer(
  root: string,
  runtime: ContainerRuntime,
  id: string,
  podUid: string | null,
): ContainerRef {
  let named: Named | null = null;
  if (runtime === "docker") named = docker(root, id);
  else if (runtime === "containerd") named = containerd(root, id);
  else if (runtime === "cri-o" || runtime === "podman") named = containerStorage(root, id);
  const uid = named?.pod.uid ?? podUid;
  const machine = runtime === "lxc" || runtime === "systemd-nspawn";
  return {
    runtime,
    id,
    name: named?.name ?? (machine ? id : null),
    pod:
      uid === null ? null : { uid, name: named?.pod.name ?? null, namespace: named?.pod.namespace ?? null },
  };
}
