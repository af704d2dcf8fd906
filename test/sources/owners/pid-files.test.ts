import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseBtime,
  parseCgroup,
  parseCmdline,
  parsePasswd,
  parseSoftLimit,
  parseStat,
  parseStatusUid,
  parseWchan,
} from "../../../src/sources/owners/pid-files.js";

const ID = "3f4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f";
const POD = "8e2f5a10-7b3c-4d5e-9f60-1a2b3c4d5e6f";
const POD_ = POD.replaceAll("-", "_");

describe("pid-files", () => {
  it("joins argv with spaces", () => {
    assert.equal(parseCmdline("java\0-jar\0app.jar\0"), "java -jar app.jar");
    assert.equal(parseCmdline("nginx: worker process"), "nginx: worker process");
    assert.equal(parseCmdline(""), "");
  });

  it("takes the effective uid from status", () => {
    assert.equal(parseStatusUid("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1\t1\t1\t1\n"), 0);
    assert.equal(parseStatusUid("Name:\tx\n"), null);
  });

  it("maps uids to the first name in passwd", () => {
    const users = parsePasswd(
      "root:x:0:0::/root:/bin/sh\n#comment\nbad\ntoor:x:0:0::/:/bin/sh\nshop:x:1001:1001::/:/bin/false\n",
    );
    assert.deepEqual(
      [...users],
      [
        [0, "root"],
        [1001, "shop"],
      ],
    );
  });

  it("reads stat past a comm holding spaces and parentheses", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 4));
    const text = `77 (a) (b) c)) D ${fields.join(" ")}\n`;
    // Field 22 is the 19th after the state (which is field 3).
    assert.deepEqual(parseStat(text), { comm: "a) (b) c)", state: "D", startTicks: 22 });
    assert.deepEqual(parseStat("1 (init) S 0"), { comm: "init", state: "S", startTicks: null });
    assert.equal(parseStat(""), null);
    assert.equal(parseStat("1 (x)"), null);
  });

  it("reads btime", () => {
    assert.equal(parseBtime("cpu 1 2\nbtime 1700000000\nprocesses 5\n"), 1700000000);
    assert.equal(parseBtime("cpu 1 2\n"), null);
  });

  const cgroups: Array<[string, string, ReturnType<typeof parseCgroup>]> = [
    [
      "v2 service",
      "0::/system.slice/nginx.service\n",
      {
        path: "/system.slice/nginx.service",
        unit: "nginx.service",
        containerId: null,
        runtime: null,
        podUid: null,
      },
    ],
    [
      "v2 user session app scope",
      "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-42.scope\n",
      {
        path: "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-42.scope",
        unit: "app-firefox-42.scope",
        containerId: null,
        runtime: null,
        podUid: null,
      },
    ],
    [
      "v1 docker, hybrid root v2 line",
      `12:pids:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/\n`,
      { path: `/docker/${ID}`, unit: null, containerId: ID, runtime: "docker", podUid: null },
    ],
    [
      "v2 docker scope",
      `0::/system.slice/docker-${ID}.scope\n`,
      {
        path: `/system.slice/docker-${ID}.scope`,
        unit: `docker-${ID}.scope`,
        containerId: ID,
        runtime: "docker",
        podUid: null,
      },
    ],
    [
      "kubernetes containerd",
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_}.slice/cri-containerd-${ID}.scope\n`,
      {
        path: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_}.slice/cri-containerd-${ID}.scope`,
        unit: `cri-containerd-${ID}.scope`,
        containerId: ID,
        runtime: "containerd",
        podUid: POD,
      },
    ],
    [
      "kubernetes cgroupfs driver, v1",
      `4:memory:/kubepods/burstable/pod${POD}/${ID}\n`,
      {
        path: `/kubepods/burstable/pod${POD}/${ID}`,
        unit: null,
        containerId: ID,
        runtime: "containerd",
        podUid: POD,
      },
    ],
    [
      "cri-o under kubernetes",
      `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD_}.slice/crio-${ID}.scope\n`,
      {
        path: `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD_}.slice/crio-${ID}.scope`,
        unit: `crio-${ID}.scope`,
        containerId: ID,
        runtime: "cri-o",
        podUid: POD,
      },
    ],
    [
      "lxc",
      "0::/lxc.payload.web1/system.slice/nginx.service\n",
      {
        path: "/lxc.payload.web1/system.slice/nginx.service",
        unit: "nginx.service",
        containerId: "web1",
        runtime: "lxc",
        podUid: null,
      },
    ],
    [
      "systemd-nspawn",
      "0::/machine.slice/systemd-nspawn@box.service/payload\n",
      {
        path: "/machine.slice/systemd-nspawn@box.service/payload",
        unit: "systemd-nspawn@box.service",
        containerId: "box",
        runtime: "systemd-nspawn",
        podUid: null,
      },
    ],
    [
      "podman",
      `0::/machine.slice/libpod-${ID}.scope/container\n`,
      {
        path: `/machine.slice/libpod-${ID}.scope/container`,
        unit: `libpod-${ID}.scope`,
        containerId: ID,
        runtime: "podman",
        podUid: null,
      },
    ],
    ["root only", "0::/\n", { path: "/", unit: null, containerId: null, runtime: null, podUid: null }],
  ];
  for (const [name, text, expected] of cgroups) {
    it(`reads cgroup: ${name}`, () => assert.deepEqual(parseCgroup(text), expected));
  }

  it("does not take a longer hex run for a container id", () => {
    assert.equal(parseCgroup(`0::/x/${ID}ab\n`)?.containerId, null);
    assert.equal(parseCgroup(""), null);
  });

  it("reads the open-files soft limit", () => {
    const limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n" +
      "Max processes             63432                63432                processes \n" +
      "Max open files            1024                 1048576              files     \n";
    assert.equal(parseSoftLimit(limits), 1024);
    assert.equal(parseSoftLimit(limits.replace("1024 ", "unlimited")), "unlimited");
    assert.equal(parseSoftLimit(limits, "Max cpu time"), null);
  });

  it("hides an empty or zero wchan", () => {
    assert.equal(parseWchan("do_epoll_wait"), "do_epoll_wait");
    assert.equal(parseWchan("0"), null);
    assert.equal(parseWchan(""), null);
  });
});
