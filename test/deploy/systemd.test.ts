/**
 * deploy/systemd/sockdoc-exporter.service: hardened, loopback, restarted on
 * failure, and its capabilities are the least -p needs: as an unprivileged
 * user with exactly those, sockdoc finds the owner of another user's
 * CLOSE_WAIT sockets; without either one, it does not (root: a namespace of
 * the test's own).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, type MadeSockets, makeSockets, sockdocBin } from "../support/run.js";
import { shippedUnit, unitCapabilityAndVerifyTests } from "./support.js";

const { keys, value, execArgs, capabilities } = shippedUnit("sockdoc-exporter.service");

describe("deploy/systemd/sockdoc-exporter.service", () => {
  it("is hardened, restarts on failure and listens on loopback with -p", () => {
    assert.equal(value("Restart"), "on-failure");
    assert.equal(value("NoNewPrivileges"), "yes");
    assert.equal(value("ProtectSystem"), "strict");
    assert.equal(value("DynamicUser"), "yes");
    assert.equal(keys().has("PrivateNetwork"), false, "the host's namespace must be the one read");
    const args = execArgs();
    assert.deepEqual(args.slice(0, 1), ["metrics"]);
    assert.match(args[args.indexOf("--listen") + 1] ?? "", /^127\.0\.0\.1:\d+$/);
    assert.ok(args.includes("-p"));
  });

  unitCapabilityAndVerifyTests("sockdoc-exporter.service");
});

describe(
  "the unit's capabilities, as an unprivileged user",
  { skip: isRoot ? false : "needs root for ip netns and setpriv" },
  () => {
    let ns: ReturnType<typeof createNetns>;
    let made: MadeSockets;
    before(async () => {
      ns = createNetns("unitcaps");
      made = await makeSockets({ netns: ns.name, established: 0, closeWait: 3, timeWait: 0 });
    });
    after(() => {
      made?.child.kill();
      ns?.remove();
    });

    /** The unit's one-shot equivalent (no --listen) as user nobody with these capabilities. */
    function metricsAsNobody(caps: readonly string[]) {
      const set = caps.map((c) => `+${c.replace(/^CAP_/, "").toLowerCase()}`).join(",");
      const privileges = caps.length
        ? [`--inh-caps=${set}`, `--ambient-caps=${set}`, `--bounding-set=-all,${set}`]
        : ["--bounding-set=-all"];
      const args = execArgs().filter((a, i, all) => a !== "--listen" && all[i - 1] !== "--listen");
      const r = spawnSync(
        "ip",
        [
          "netns",
          "exec",
          ns.name,
          "setpriv",
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          ...privileges,
          sockdocBin,
          ...args,
        ],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      const line = new RegExp(
        `^sockdoc_close_wait_process_sockets\\{pid="${made.pid}",comm="node"\\} (\\d+)$`,
        "m",
      );
      return Number(line.exec(r.stdout)?.[1] ?? 0);
    }

    it("finds another user's CLOSE_WAIT owner with them, and not without either", () => {
      const caps = capabilities();
      assert.equal(metricsAsNobody(caps), 3);
      for (const dropped of caps)
        assert.equal(metricsAsNobody(caps.filter((c) => c !== dropped)), 0, `without ${dropped}`);
      assert.equal(metricsAsNobody([]), 0);
    });
  },
);
