/**
 * deploy/systemd/sockdoc-watch.service: hardened, its one writable place
 * the state directory the db lives in, the dashboard on loopback, and its
 * capabilities the least the owner lookup needs: as an unprivileged user
 * with exactly those, the watcher stores the owner of another user's
 * CLOSE_WAIT sockets; without either one, it does not (root: a namespace
 * of the test's own).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, type MadeSockets, makeSockets, sockdoc, sockdocBin } from "../support/run.js";
import { shippedUnit, unitCapabilityAndVerifyTests } from "./support.js";

const { keys, value, execArgs, capabilities } = shippedUnit("sockdoc-watch.service");
const argOf = (flag: string) => execArgs()[execArgs().indexOf(flag) + 1];

describe("deploy/systemd/sockdoc-watch.service", () => {
  it("is hardened, writes only its state directory, and serves on loopback", () => {
    assert.equal(value("ProtectSystem"), "strict");
    assert.equal(value("NoNewPrivileges"), "yes");
    assert.equal(value("DynamicUser"), "yes");
    assert.equal(value("StateDirectory"), "sockdoc");
    assert.equal(value("Restart"), "on-failure");
    assert.equal(value("KillSignal"), "SIGTERM");
    assert.equal(keys().has("ReadWritePaths"), false, "nothing writable but the state directory");
    assert.equal(keys().has("PrivateNetwork"), false, "the host's namespace must be the one read");
    assert.deepEqual(execArgs().slice(0, 1), ["watch"]);
    // The db inside the state directory (the default path is for root, and the unit's user is not).
    assert.equal(argOf("--db"), "/var/lib/sockdoc/history.db");
    assert.match(argOf("--listen") ?? "", /^127\.0\.0\.1:\d+$/);
  });

  unitCapabilityAndVerifyTests("sockdoc-watch.service");
});

describe(
  "the watch unit's capabilities, as an unprivileged user",
  { skip: isRoot ? false : "needs root for ip netns and setpriv" },
  () => {
    let ns: ReturnType<typeof createNetns>;
    let made: MadeSockets;
    let dir = "";
    before(async () => {
      ns = createNetns("watchcaps");
      made = await makeSockets({ netns: ns.name, established: 0, closeWait: 3, timeWait: 0 });
      dir = mkdtempSync(join(tmpdir(), "sockdoc-watchcaps-"));
      // The state directory as systemd makes it: the service's user's own.
      chmodSync(dir, 0o777);
    });
    after(() => {
      made?.child.kill();
      ns?.remove();
      rmSync(dir, { recursive: true, force: true });
    });

    /** One sample of the unit's watch (no --listen) as user nobody with these capabilities; the owner's stored count. */
    function watchAsNobody(caps: readonly string[], name: string): number {
      const set = caps.map((c) => `+${c.replace(/^CAP_/, "").toLowerCase()}`).join(",");
      const privileges = caps.length
        ? [`--inh-caps=${set}`, `--ambient-caps=${set}`, `--bounding-set=-all,${set}`]
        : ["--bounding-set=-all"];
      const db = join(dir, `${name}.db`);
      const args = execArgs().filter(
        (a, i, all) => !["--listen", "--db"].includes(a) && !["--listen", "--db"].includes(all[i - 1]!),
      );
      const r = spawnSync(
        "ip",
        ["netns", "exec", ns.name, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"].concat(
          privileges,
          [sockdocBin, ...args, "--db", db, "--count", "1"],
        ),
        { encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      const h = sockdoc(["history", "--db", db, "--json"]);
      assert.equal(h.status, 0, h.stderr);
      const doc = JSON.parse(h.stdout) as {
        closeWait: Array<{ owner: { pid: number | null }; peak: number }>;
      };
      return doc.closeWait.find((g) => g.owner.pid === made.pid)?.peak ?? 0;
    }

    it("stores another user's CLOSE_WAIT owner with them, and not without either", () => {
      const caps = capabilities();
      assert.equal(watchAsNobody(caps, "all"), 3);
      for (const dropped of caps)
        assert.equal(
          watchAsNobody(
            caps.filter((c) => c !== dropped),
            `no-${dropped}`,
          ),
          0,
          `without ${dropped}`,
        );
      assert.equal(watchAsNobody([], "none"), 0);
    });
  },
);
