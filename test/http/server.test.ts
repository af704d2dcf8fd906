/**
 * The HTTP server on 127.0.0.1 port 0 with a render function of the test's
 * own, over real sockets: methods and paths, HEAD, shared scrapes, a failing
 * scrape, the connection cap and the header timeout.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { metricsRoute } from "../../src/http/metrics-route.js";
import { buildApp } from "../../src/http/routes.js";
import {
  DEFAULT_LIMITS,
  type RunningServer,
  type ServerLimits,
  startHttpServer,
} from "../../src/http/server.js";
import { openIdle, rawExchange, sleep, waitFor } from "./support.js";

let server: RunningServer | null = null;

async function start(render: () => Promise<string>, limits: Partial<ServerLimits> = {}) {
  server = await startHttpServer(
    buildApp([metricsRoute(render)]),
    { host: "127.0.0.1", port: 0 },
    { ...DEFAULT_LIMITS, ...limits },
  );
  return `http://127.0.0.1:${server.port}`;
}

afterEach(async () => {
  await server?.close();
  server = null;
});

describe("HTTP server", () => {
  it("answers GET /metrics, 405 with Allow for other methods, 404 elsewhere, and lists routes at /", async () => {
    const base = await start(async () => "up 1\n");
    const ok = await fetch(`${base}/metrics`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    assert.equal(await ok.text(), "up 1\n");
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await fetch(`${base}/metrics`, { method });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "GET, HEAD");
      await r.text();
    }
    const missing = await fetch(`${base}/metrics/x`);
    assert.equal(missing.status, 404);
    await missing.text();
    const index = await fetch(`${base}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /^ {2}\/metrics +Prometheus/m);
  });

  it("answers HEAD with the headers and no body", async () => {
    const base = await start(async () => "up 1\n");
    const port = Number(new URL(base).port);
    const wire = await rawExchange(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const [head, body] = wire.split("\r\n\r\n");
    assert.match(head ?? "", /^HTTP\/1\.1 200 /);
    assert.match(head ?? "", /content-type: text\/plain; version=0\.0\.4/i);
    assert.equal(body, "");
  });

  it("runs one render for scrapes that arrive while one is in flight", async () => {
    let calls = 0;
    const base = await start(async () => {
      const call = ++calls;
      await sleep(400);
      return `call ${call}\n`;
    });
    const bodies = await Promise.all(
      Array.from({ length: 10 }, async () => (await fetch(`${base}/metrics`)).text()),
    );
    assert.deepEqual(new Set(bodies), new Set(["call 1\n"]));
    assert.equal(calls, 1);
    assert.equal(await (await fetch(`${base}/metrics`)).text(), "call 2\n");
  });

  it("answers a failed render with 500 and one line, and the next scrape works", async () => {
    let calls = 0;
    const base = await start(async () => {
      if (++calls === 1) throw new Error("netlink said no\nsecond line");
      return "up 1\n";
    });
    const failed = await fetch(`${base}/metrics`);
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), "sockdoc: scrape failed: netlink said no\n");
    const next = await fetch(`${base}/metrics`);
    assert.equal(next.status, 200);
    assert.equal(await next.text(), "up 1\n");
  });

  it("closes idle connections past the cap, never one being answered, and still serves", async () => {
    const base = await start(
      async () => {
        await sleep(800);
        return "up 1\n";
      },
      { maxConnections: 20 },
    );
    const port = Number(new URL(base).port);
    // A scrape in flight first: its connection is busy and must survive.
    const slow = fetch(`${base}/metrics`);
    await sleep(100);
    const idle = await openIdle(port, 60);
    assert.ok(
      await waitFor(() => idle.filter((c) => c.closedAfterMs !== null).length >= 41, 2_000),
      `closed ${idle.filter((c) => c.closedAfterMs !== null).length} of 60 idle connections`,
    );
    // Closed by the cap, not by the 10 s header timeout.
    assert.ok(idle.every((c) => c.closedAfterMs === null || c.closedAfterMs < 2_000));
    const answered = await slow;
    assert.equal(answered.status, 200);
    assert.equal(await answered.text(), "up 1\n");
    const fresh = await fetch(`${base}/metrics`);
    assert.equal(fresh.status, 200);
    await fresh.text();
    for (const c of idle) c.socket.destroy();
  });

  it("closes a connection that sends nothing after the header timeout", async () => {
    const base = await start(async () => "up 1\n", { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
    const [idle] = await openIdle(Number(new URL(base).port), 1);
    assert.ok(await waitFor(() => idle!.closedAfterMs !== null, 4_000), "still open after 4 s");
    assert.ok(idle!.closedAfterMs! >= 900, `closed after ${idle!.closedAfterMs} ms`);
  });
});
