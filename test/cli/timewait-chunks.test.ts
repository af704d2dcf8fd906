/**
 * Live, root: enough TIME_WAIT sockets for the dump to come in several
 * chunks (the other states' filtered dump then starts early, beside it; see
 * sources/sock-diag/early-stage.ts), plus ESTABLISHED sockets to the same
 * destination from ephemeral ports. The ports in use must count both, and
 * the netlink report must equal the one /proc gives for the same sockets.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createNetns,
  isRoot,
  type MadeSockets,
  makeSockets,
  setNetnsSysctls,
  sockdoc,
} from "../support/run.js";

/** About three of the addon's 512 KiB chunks of TIME_WAIT messages. */
const TIME_WAIT = 15000;
const ESTABLISHED = 7;

interface Dest {
  remote: { address: string; port: number | null };
  direction: string;
  count: number;
  portsInUse: number;
  portsLeft: number;
}

function destinations(extra: string[], netns: string): Dest[] {
  const r = sockdoc(["timewait", "--json", "--all", ...extra], { netns });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { destinations: Dest[] };
  return doc.destinations
    .map(({ remote, direction, count, portsInUse, portsLeft }) => ({
      remote,
      direction,
      count,
      portsInUse,
      portsLeft,
    }))
    .sort((a, b) => (a.remote.port ?? 0) - (b.remote.port ?? 0));
}

describe(
  "timewait over a dump of several chunks",
  { skip: isRoot ? false : "needs root (a network namespace)" },
  () => {
    let ns: ReturnType<typeof createNetns>;
    let made: MadeSockets | undefined;
    before(async () => {
      ns = createNetns("twchunks");
      // Loopback connects may reuse a TIME_WAIT port (tcp_tw_reuse 2): none here, so every close stays.
      setNetnsSysctls(ns.name, "net.ipv4.tcp_tw_reuse=0");
      made = await makeSockets({
        netns: ns.name,
        established: ESTABLISHED,
        closeWait: 0,
        timeWait: TIME_WAIT,
      });
    });
    after(() => {
      made?.child.kill();
      ns?.remove();
    });

    it("counts the other states toward their destination, as /proc does", () => {
      const fromNetlink = destinations([], ns.name);
      const polite = fromNetlink.find((d) => d.remote.port === made!.politePort);
      assert.ok(polite, JSON.stringify(fromNetlink));
      assert.equal(polite.direction, "outgoing");
      assert.equal(polite.count, TIME_WAIT);
      assert.equal(polite.portsInUse, TIME_WAIT + ESTABLISHED);
      assert.deepEqual(fromNetlink, destinations(["--source", "proc"], ns.name));
    });
  },
);
