/**
 * Live: `timewait --source netlink` streams the dump into the grouping
 * without building sockets; `--source proc` groups a full snapshot. On the
 * same real TIME_WAIT sockets both must give the same report, apart from the
 * values that follow the timers (time left, rate, forecast, note).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, type MadeSockets, makeSockets, sockdoc } from "../support/run.js";

type Json = Record<string, unknown>;

/** Fields that follow the timers, so differ between two reads a moment apart. */
const TIMER_FIELDS = ["remainingMs", "ratePerSec", "exhaustedInSec", "note"];
/** Fields that follow the host's listening ports, which other processes may change meanwhile. */
const BUDGET_FIELDS = ["portsLeft", "sustainablePerSec"];

function report(source: string, args: string[], netns?: string): Json {
  const r = sockdoc(["timewait", "--json", "--all", "--source", source, ...args], netns ? { netns } : {});
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.equal(r.stderr, "");
  const doc = JSON.parse(r.stdout) as Json;
  assert.equal((doc.source as Json).kind, source);
  return doc;
}

/**
 * The report without what may differ between the two reads, destinations in
 * a fixed order; with destinationsOnly, the totals and destinations alone.
 */
function comparable(doc: Json, drop: string[], destinationsOnly: boolean): Json {
  const destinations = (doc.destinations as Json[]).map((d) => {
    const kept = { ...d };
    for (const f of drop) delete kept[f];
    return kept;
  });
  const key = (d: Json) => JSON.stringify([d.direction, d.local, d.remote]);
  destinations.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (destinationsOnly) {
    return { total: doc.total, outgoing: doc.outgoing, incoming: doc.incoming, destinations };
  }
  const { takenAt: _t, source: _s, destinations: _d, ...rest } = doc;
  return { ...rest, destinations };
}

function assertSameReports(args: string[], opts: { netns?: string; host?: boolean } = {}): Json {
  const streamed = report("netlink", args, opts.netns);
  const snapshot = report("proc", args, opts.netns);
  const drop = opts.host ? [...TIMER_FIELDS, ...BUDGET_FIELDS] : TIMER_FIELDS;
  assert.deepEqual(
    comparable(streamed, drop, opts.host ?? false),
    comparable(snapshot, drop, opts.host ?? false),
    `filter: ${args.join(" ")}`,
  );
  return streamed;
}

const notRoot = isRoot ? false : "needs root to create a network namespace";

describe("timewait streams netlink into the same report as a /proc snapshot", { skip: notRoot }, () => {
  let ns: ReturnType<typeof createNetns>;
  const made: MadeSockets[] = [];
  before(async () => {
    ns = createNetns("twstream");
    // Servers listen on ephemeral ports (a listening port in the range), clients hold
    // open and half-closed connections beside their TIME_WAIT: every grouping case.
    made.push(await makeSockets({ netns: ns.name, established: 3, closeWait: 2, timeWait: 150 }));
    made.push(await makeSockets({ netns: ns.name, host: "::1", established: 2, closeWait: 1, timeWait: 60 }));
  });
  after(() => {
    for (const m of made) m.child.kill();
    ns.remove();
  });

  it("with no filter, and with filters evaluated on the stream", () => {
    const [v4, v6] = made as [MadeSockets, MadeSockets];
    const all = assertSameReports([], { netns: ns.name });
    assert.equal(all.total, 210);
    assert.equal((all.destinations as Json[]).length, 2);
    const one = assertSameReports(["dport", "=", `:${v4.politePort}`], { netns: ns.name });
    assert.equal(one.total, 150);
    assert.equal((one.destinations as Json[])[0]!.portsInUse, 153);
    const six = assertSameReports(["src", "::1"], { netns: ns.name });
    assert.equal(six.total, 60);
    assert.equal(((six.buckets as Json).used as number) >= 210, true);
    assertSameReports(["state", "time-wait", "sport", ">", ":1024"], { netns: ns.name });
    assertSameReports(["-6", "dport", "!=", `:${v6.politePort}`], { netns: ns.name });
  });
});

describe("timewait streams the host's own loopback TIME_WAIT like a /proc snapshot", () => {
  let made: MadeSockets;
  before(async () => {
    made = await makeSockets({ host: "127.0.0.1", established: 2, closeWait: 0, timeWait: 80 });
  });
  after(() => made.child.kill());

  it("for this test's destination", () => {
    // Other processes may open and close sockets between the two reads: only this test's
    // destination is compared, without what the host's listening ports decide.
    const doc = assertSameReports(["dport", "=", `:${made.politePort}`], { host: true });
    const [d] = doc.destinations as Json[];
    assert.equal(doc.total, 80);
    assert.equal(d!.portsInUse, 82);
  });
});
