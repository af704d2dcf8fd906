/**
 * Container names from the runtimes' files, in a host root the test writes
 * (the layouts docker, containerd's CRI, CRI-O and podman keep on disk).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { nameContainer } from "../../../src/sources/netns/container-names.js";

const ID = "a".repeat(64);
const UID = "8e2f5a10-7b3c-4d5e-9f60-1a2b3c4d5e6f";

describe("nameContainer", () => {
  let root: string;
  const put = (path: string, doc: unknown) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof doc === "string" ? doc : JSON.stringify(doc));
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), "sockdoc-rootfs-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reads docker's name, without its slash", () => {
    put(`var/lib/docker/containers/${ID}/config.v2.json`, { Name: "/web", Config: { Labels: {} } });
    assert.deepEqual(nameContainer(root, "docker", ID, null), {
      runtime: "docker",
      id: ID,
      name: "web",
      pod: null,
    });
  });

  it("reads a Kubernetes pod from docker's labels (dockershim)", () => {
    const id = "b".repeat(64);
    put(`var/lib/docker/containers/${id}/config.v2.json`, {
      Name: "/k8s_app_shop-7d9_default_x_0",
      Config: {
        Labels: {
          "io.kubernetes.container.name": "app",
          "io.kubernetes.pod.name": "shop-7d9",
          "io.kubernetes.pod.namespace": "default",
          "io.kubernetes.pod.uid": UID,
        },
      },
    });
    assert.deepEqual(nameContainer(root, "docker", id, null), {
      runtime: "docker",
      id,
      name: "app",
      pod: { uid: UID, name: "shop-7d9", namespace: "default" },
    });
  });

  it("reads containerd's CRI annotations from the task's config.json", () => {
    const id = "c".repeat(64);
    put(`run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/config.json`, {
      annotations: {
        "io.kubernetes.cri.container-name": "api",
        "io.kubernetes.cri.sandbox-name": "api-5f6",
        "io.kubernetes.cri.sandbox-namespace": "prod",
        "io.kubernetes.cri.sandbox-uid": UID,
      },
    });
    assert.deepEqual(nameContainer(root, "containerd", id, null), {
      runtime: "containerd",
      id,
      name: "api",
      pod: { uid: UID, name: "api-5f6", namespace: "prod" },
    });
  });

  it("reads CRI-O's annotations, and podman's names from its container list", () => {
    const crio = "d".repeat(64);
    put(`var/lib/containers/storage/overlay-containers/${crio}/userdata/config.json`, {
      annotations: {
        "io.kubernetes.container.name": "db",
        "io.kubernetes.pod.name": "db-0",
        "io.kubernetes.pod.namespace": "data",
        "io.kubernetes.pod.uid": UID,
      },
    });
    assert.equal(nameContainer(root, "cri-o", crio, null).name, "db");
    const pod = "e".repeat(64);
    put("var/lib/containers/storage/overlay-containers/containers.json", [{ id: pod, names: ["cache"] }]);
    assert.deepEqual(nameContainer(root, "podman", pod, null), {
      runtime: "podman",
      id: pod,
      name: "cache",
      pod: null,
    });
  });

  it("keeps what the cgroup said when no file names the container, and never fails on garbage", () => {
    const id = "f".repeat(64);
    put(`var/lib/docker/containers/${id}/config.v2.json`, "{not json");
    assert.deepEqual(nameContainer(root, "docker", id, UID), {
      runtime: "docker",
      id,
      name: null,
      pod: { uid: UID, name: null, namespace: null },
    });
    assert.equal(nameContainer(root, "systemd-nspawn", "box", null).name, "box");
  });
});
