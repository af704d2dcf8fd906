/**
 * Every network namespace, seen from the host (root): two named namespaces
 * and an unnamed one held only by its process, each with a CLOSE_WAIT leak
 * on the same port; lab servers placed in cgroups named as Docker and as
 * containerd under Kubernetes name them; kill --netns closes in one only.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, sockdoc, sockdocBin } from "../support/run.js";

const PORT = 8095;

/** CLOSE_WAIT sockets in a namespace, as ss counts them. */
const closeWaitIn = (ns: string) =>
  spawnSync("ip", ["netns", "exec", ns, "ss", "-Htan", "state", "close-wait"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((l) => l.trim() !== "").length;
const DOCKER_ID = "d0c4e7".padEnd(64, "1");
const K8S_ID = "c0de42".padEnd(64, "2");
const POD_UID = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
const CGROUP_ROOT = "/sys/fs/cgroup/unified";
const CGROUPS = [
  `system.slice/docker-${DOCKER_ID}.scope`,
  `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_UID.replaceAll("-", "_")}.slice/cri-containerd-${K8S_ID}.scope`,
];

interface Lab {
  child: ChildProcess;
  serverPid: number;
}

/** Starts `sockdoc lab close-wait` through argv (in a namespace) and waits for its server's pid. */
async function startLab(argv: string[], count: number): Promise<Lab> {
  const lab = [
    "lab",
    "close-wait",
    "--cause",
    "eof-not-closed",
    "--count",
    String(count),
    "--port",
    String(PORT),
  ];
  const child = spawn(argv[0]!, [...argv.slice(1), sockdocBin, ...lab, "--duration", "60"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  let serverPid = 0;
  for await (const line of lines) {
    const m = /server:\s+\S+ pid (\d+)/.exec(line);
    if (m) serverPid = Number(m[1]);
    if (/^\s*look:/.test(line)) break;
  }
  assert.ok(serverPid > 0, "the lab named its server");
  return { child, serverPid };
}

function moveToCgroup(path: string, pid: number): void {
  mkdirSync(join(CGROUP_ROOT, path), { recursive: true });
  writeFileSync(join(CGROUP_ROOT, path, "cgroup.procs"), String(pid));
}

describe(
  "every network namespace",
  { skip: isRoot ? false : "needs root for namespaces and cgroups" },
  () => {
    const named: Array<ReturnType<typeof createNetns>> = [];
    const labs: Lab[] = [];
    let root = "";
    before(async () => {
      named.push(createNetns("nsa"), createNetns("nsb"));
      labs.push(await startLab(["ip", "netns", "exec", named[0]!.name], 2));
      labs.push(await startLab(["ip", "netns", "exec", named[1]!.name], 2));
      // Unnamed: only its own processes hold it.
      labs.push(await startLab(["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"], 3));
      moveToCgroup(CGROUPS[0]!, labs[0]!.serverPid);
      moveToCgroup(CGROUPS[1]!, labs[1]!.serverPid);
      root = mkdtempSync(join(tmpdir(), "sockdoc-runtimes-"));
      const put = (path: string, doc: unknown) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(doc));
      };
      put(`var/lib/docker/containers/${DOCKER_ID}/config.v2.json`, {
        Name: "/shop-web",
        Config: { Labels: {} },
      });
      put(`run/containerd/io.containerd.runtime.v2.task/k8s.io/${K8S_ID}/config.json`, {
        annotations: {
          "io.kubernetes.cri.container-name": "api",
          "io.kubernetes.cri.sandbox-name": "api-7d9f",
          "io.kubernetes.cri.sandbox-namespace": "prod",
          "io.kubernetes.cri.sandbox-uid": POD_UID,
        },
      });
    });
    after(() => {
      for (const lab of labs) {
        lab.child.kill();
        try {
          process.kill(lab.serverPid);
        } catch {
          // Gone with its lab.
        }
      }
      for (const path of CGROUPS) {
        // Innermost first; only the directories this test made.
        const parts = path.split("/");
        for (let i = parts.length; i > 0; i--) {
          const dir = join(CGROUP_ROOT, ...parts.slice(0, i));
          for (let tries = 0; tries < 50 && existsSync(dir); tries++) {
            try {
              rmdirSync(dir);
            } catch {
              spawnSync("sleep", ["0.05"]);
            }
          }
        }
      }
      for (const ns of named) ns.remove();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const env = () => ({ SOCKDOC_CONTAINER_ROOT: root });
    /** kill --yes of this test's CLOSE_WAIT port in the namespaces named by where. */
    const killYes = (where: string[], audit: string) =>
      sockdoc(
        [
          "kill",
          ...where,
          "state",
          "close-wait",
          "sport",
          "=",
          `:${PORT}`,
          "--yes",
          "--no-journal",
          "--audit-log",
          audit,
        ],
        { env: env() },
      );

    it("closewait --all-netns reports each namespace's leak with its owner and container", () => {
      const r = sockdoc(["closewait", "--all-netns", "--json", `sport = :${PORT}`], { env: env() });
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        total: number;
        groups: Array<{
          count: number;
          owner: { pid: number } | null;
          netns: { name: string | null; container: unknown };
        }>;
      };
      const of = (pid: number) => doc.groups.filter((g) => g.owner?.pid === pid);
      const [a, b, unnamed] = labs.map((l) => of(l.serverPid));
      assert.equal(
        a!.reduce((n, g) => n + g.count, 0),
        2,
      );
      assert.equal(a![0]!.netns.name, named[0]!.name);
      assert.deepEqual(a![0]!.netns.container, {
        runtime: "docker",
        id: DOCKER_ID,
        name: "shop-web",
        pod: null,
      });
      assert.equal(b![0]!.netns.name, named[1]!.name);
      assert.deepEqual(b![0]!.netns.container, {
        runtime: "containerd",
        id: K8S_ID,
        name: "api",
        pod: { uid: POD_UID, name: "api-7d9f", namespace: "prod" },
      });
      assert.equal(
        unnamed!.reduce((n, g) => n + g.count, 0),
        3,
      );
      assert.equal(unnamed![0]!.netns.name, null);
      assert.ok(doc.total >= 7);
    });

    it("the default report names the namespace, the container and the process", () => {
      const r = sockdoc(["--all-netns"], { env: { ...env(), COLUMNS: "100" } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /== namespace docker:shop-web \(net:\[\d+\], docker container shop-web\)/);
      assert.match(r.stdout, /== namespace containerd:prod\/api-7d9f\/api .*in pod prod\/api-7d9f\)/);
      assert.match(r.stdout, new RegExp(`pid ${labs[2]!.serverPid}`));
      assert.match(
        r.stdout,
        new RegExp(`sockdoc kill --netns ${named[0]!.name} state close-wait sport = :${PORT}`),
      );
    });

    it("summary --all-netns --json counts each namespace beside the host-wide total", () => {
      const r = sockdoc(["summary", "--all-netns", "--json"], { env: env() });
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        total: number;
        namespaces: Array<{ netns: { name: string | null }; total: number; states: Record<string, number> }>;
      };
      const a = doc.namespaces.find((n) => n.netns.name === named[0]!.name)!;
      assert.equal(a.states.CLOSE_WAIT, 2);
      assert.equal(
        doc.total,
        doc.namespaces.reduce((n, ns) => n + ns.total, 0),
      );
    });

    it("metrics -p --all-netns labels each namespace's samples with its name, container and pod", () => {
      const r = sockdoc(["metrics", "-p", "--all-netns"], { env: env() });
      assert.equal(r.status, 0, r.stderr);
      const line = (pid: number) =>
        r.stdout
          .split("\n")
          .find((l) => l.startsWith("sockdoc_close_wait_process_sockets{") && l.includes(`pid="${pid}"`));
      assert.match(
        line(labs[0]!.serverPid) ?? "",
        new RegExp(
          `\\{netns="${named[0]!.name}",container="shop-web",pod="",pid="${labs[0]!.serverPid}",comm="[^"]*"\\} 2$`,
        ),
      );
      assert.match(line(labs[1]!.serverPid) ?? "", /container="api",pod="prod\/api-7d9f"/);
      assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("sockdoc_build_info")).length, 1);
      // Each family once, whatever the number of namespaces.
      const types = r.stdout.split("\n").filter((l) => l.startsWith("# TYPE "));
      assert.equal(new Set(types).size, types.length);
    });

    it("kill --all-netns --dry-run lists each namespace's sockets under its name and closes nothing", () => {
      const r = sockdoc(
        ["kill", "--all-netns", "state", "close-wait", "sport", "=", `:${PORT}`, "--dry-run"],
        {
          env: { ...env(), COLUMNS: "100" },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /== namespace docker:shop-web \(net:\[\d+\]\)/);
      assert.match(r.stdout, /== namespace containerd:prod\/api-7d9f\/api/);
      assert.ok((r.stdout.match(/would-close/g) ?? []).length >= 7, r.stdout);
      assert.equal(closeWaitIn(named[0]!.name), 2);
      assert.equal(closeWaitIn(named[1]!.name), 2);
    });

    it("kill --netns closes in that namespace only; the same 4-tuples elsewhere stay", () => {
      const audit = join(root, "audit.jsonl");
      const r = killYes(["--netns", named[0]!.name], audit);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(closeWaitIn(named[0]!.name), 0);
      assert.equal(closeWaitIn(named[1]!.name), 2);
      const left = sockdoc(["closewait", "--all-netns", "--json", `sport = :${PORT}`], { env: env() });
      const doc = JSON.parse(left.stdout) as {
        groups: Array<{ owner: { pid: number } | null; count: number }>;
      };
      assert.equal(
        doc.groups.filter((g) => g.owner?.pid === labs[2]!.serverPid).reduce((n, g) => n + g.count, 0),
        3,
        "the unnamed namespace's sockets are untouched",
      );
      assert.match(
        spawnSync("tail", ["-1", audit], { encoding: "utf8" }).stdout,
        new RegExp(`"netns":\\{"inode":\\d+,"name":"${named[0]!.name}","container":\\{"runtime":"docker"`),
      );
    });

    it("kill --all-netns --yes closes each namespace's sockets in that namespace, audited with its name", () => {
      const audit = join(root, "audit-all.jsonl");
      const r = killYes(["--all-netns"], audit);
      assert.equal(r.status, 0, r.stderr);
      const left = sockdoc(["closewait", "--all-netns", "--json", `sport = :${PORT}`], { env: env() });
      assert.equal((JSON.parse(left.stdout) as { total: number }).total, 0);
      const lines = spawnSync("cat", [audit], { encoding: "utf8" }).stdout.trim().split("\n");
      assert.ok(
        lines.some((l) => l.includes(`"name":"${named[1]!.name}"`) && l.includes('"outcome":"closed"')),
      );
      assert.ok(
        lines.some((l) => /"netns":\{"inode":\d+,"name":null/.test(l)),
        "the unnamed namespace's closes",
      );
    });
  },
);
