/**
 * The routes of `watch --listen` on a real server over a database the test
 * writes: the page and its own files under a Content-Security-Policy of
 * 'self' (nothing the page loads comes from elsewhere), /api JSON with
 * history's names, a bad ?since= as 400, the live stream (the latest round
 * on connect, each published one after, a cap past which newcomers get 503,
 * HEAD without joining) and /metrics from the published round only.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import type Database from "better-sqlite3";
import { dashboardRoutes } from "../../src/http/dashboard-routes.js";
import { LiveFeed } from "../../src/http/live-feed.js";
import { buildApp } from "../../src/http/routes.js";
import { type RunningServer, startHttpServer } from "../../src/http/server.js";
import { openForWriting } from "../../src/store/open.js";
import type { NamespaceSample } from "../../src/store/sample.js";
import { StoreWriter } from "../../src/store/writer.js";
import { rawExchange } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "sockdoc-dash-"));
let server: RunningServer | null = null;
const dbs: Database.Database[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
});
after(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function sample(at: number, count: number): NamespaceSample {
  return {
    at,
    netns: "",
    readMs: 1,
    states: { CLOSE_WAIT: count, ESTABLISHED: 2 },
    closeWait: [
      {
        pid: 42,
        comm: "<b>x</b>",
        cmdline: "srv --port 8080",
        unit: null,
        localPort: 8080,
        peerPort: null,
        cause: "eof-not-closed",
        count,
        firstSeen: at - 1000,
      },
    ],
    timeWait: [],
    sysctls: null,
    findings: [],
  };
}

async function start(maxClients = 2) {
  const file = join(dir, `d${dbs.length}.db`);
  const db = openForWriting(file);
  dbs.push(db);
  const writer = new StoreWriter(db);
  const t0 = Date.UTC(2026, 0, 1, 10);
  for (let i = 0; i < 5; i++) writer.writeRound([sample(t0 + i * 1000, i + 1)], []);
  const feed = new LiveFeed<unknown>(maxClients);
  let metrics: string | null = null;
  server = await startHttpServer(
    buildApp(dashboardRoutes({ file, read: (fn) => fn(db), feed, metrics: () => metrics })),
    { host: "127.0.0.1", port: 0 },
  );
  return {
    base: `http://127.0.0.1:${server.port}`,
    port: server.port,
    feed,
    setMetrics: (m: string) => (metrics = m),
  };
}

/** Reads an SSE response until `n` events came (or the stream ends). */
async function events(res: Response, n: number): Promise<Array<{ event: string; data: string }>> {
  const reader = res.body!.getReader();
  const out: Array<{ event: string; data: string }> = [];
  let text = "";
  while (out.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
      out.push({ event, data });
    }
  }
  await reader.cancel();
  return out;
}

describe("watch --listen routes", () => {
  it("serves the page and its files itself, under a CSP of 'self', the route list at /routes", async () => {
    const { base } = await start();
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    const html = await page.text();
    // Every file the page loads is a path of this server; every one of them answers.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length >= 4, refs.join(" "));
    for (const ref of refs) {
      if (ref.startsWith("data:")) continue;
      assert.match(ref, /^\//, `${ref} is not this server's`);
      if (!ref.startsWith("/assets/")) continue;
      const r = await fetch(`${base}${ref}`);
      assert.equal(r.status, 200, ref);
      assert.ok((await r.text()).length > 0, ref);
    }
    const script = await (await fetch(`${base}/assets/dashboard.js`)).text();
    assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    assert.doesNotMatch(html + script, /https?:\/\/(?!www\.w3\.org)/, "no other host named");
    const uplot = await fetch(`${base}/assets/uplot.js`);
    assert.match(uplot.headers.get("content-type") ?? "", /javascript/);
    assert.match(await uplot.text(), /uPlot/);
    assert.match(await (await fetch(`${base}/routes`)).text(), /^ {2}\/api\/stream +Server-Sent/m);
  });

  it("answers /api with history's names, ?since= windows and 400 for a bad one", async () => {
    const { base } = await start();
    const history = (await (await fetch(`${base}/api/history?since=1h`)).json()) as {
      closeWait: Array<{ owner: { comm: string }; peak: number; now: number }>;
      events: Array<{ kind: string }>;
      findings: unknown[];
    };
    assert.equal(history.closeWait[0]!.owner.comm, "<b>x</b>");
    assert.equal(history.closeWait[0]!.peak, 5);
    assert.deepEqual(
      history.events.map((e) => e.kind),
      ["leak-start"],
    );
    assert.deepEqual(history.findings, []);
    const closeWait = (await (await fetch(`${base}/api/closewait`)).json()) as { closeWait: unknown[] };
    assert.deepEqual(closeWait.closeWait, history.closeWait);
    const timeline = (await (await fetch(`${base}/api/timeline?since=3s`)).json()) as {
      resolution: string;
      times: number[];
      states: Record<string, number[]>;
      closeWait: Array<{ counts: number[] }>;
    };
    assert.equal(timeline.resolution, "sample");
    assert.equal(timeline.times.length, 4, "the last 3 s of samples, one a second");
    assert.deepEqual(timeline.states.CLOSE_WAIT, [2, 3, 4, 5]);
    assert.deepEqual(timeline.closeWait[0]!.counts, [2, 3, 4, 5]);
    const bad = await fetch(`${base}/api/events?since=yesterday`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /since wants a duration/);
    const live = await fetch(`${base}/api/live`);
    assert.equal(live.status, 503, "no round published yet");
    await live.text();
  });

  it("streams the latest round on connect and each new one; past the cap 503; HEAD joins nothing", async () => {
    const { base, port, feed } = await start(2);
    feed.publish({}, JSON.stringify({ sample: 1 }));
    const a = await fetch(`${base}/api/stream`);
    assert.match(a.headers.get("content-type") ?? "", /^text\/event-stream/);
    const aEvents = events(a, 2);
    const b = await fetch(`${base}/api/stream`);
    const bEvents = events(b, 2);
    const wire = await rawExchange(port, "HEAD /api/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(wire, /^HTTP\/1\.1 200 /);
    // Both streams hold a place; HEAD took none, so a third GET is over the cap of 2.
    assert.equal(feed.clientCount, 2);
    const c = await fetch(`${base}/api/stream`);
    assert.equal(c.status, 503);
    await c.text();
    feed.publish({}, JSON.stringify({ sample: 2 }));
    assert.deepEqual(
      (await aEvents).map((e) => [e.event, JSON.parse(e.data).sample]),
      [
        ["sample", 1],
        ["sample", 2],
      ],
    );
    assert.deepEqual(
      (await bEvents).map((e) => JSON.parse(e.data).sample),
      [1, 2],
    );
    // A client that leaves gives its place back.
    for (let i = 0; i < 100 && feed.clientCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(feed.clientCount, 0);
    assert.equal((await fetch(`${base}/api/live`)).status, 200);
  });

  it("serves /metrics from the published round only: 500 before the first", async () => {
    const { base, setMetrics } = await start();
    const before = await fetch(`${base}/metrics`);
    assert.equal(before.status, 500);
    await before.text();
    setMetrics('sockdoc_tcp_sockets{state="close_wait"} 5\n');
    const r = await fetch(`${base}/metrics`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'sockdoc_tcp_sockets{state="close_wait"} 5\n');
  });
});
