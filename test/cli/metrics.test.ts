/**
 * `sockdoc metrics` through bin/sockdoc: counts of real sockets in a
 * namespace of the test's own (root), and the HTTP endpoint on loopback.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openIdle, waitFor } from "../http/support.js";
import {
  countSsStates,
  createNetns,
  isRoot,
  type MadeSockets,
  makeSockets,
  repoRoot,
  sockdoc,
  sockdocBin,
} from "../support/run.js";
import { serveMetrics } from "../support/metrics-server.js";
import { parsePrometheusText } from "../support/prometheus-text.js";

describe("sockdoc metrics in a namespace", { skip: isRoot ? false : "needs root for ip netns" }, () => {
  let ns: ReturnType<typeof createNetns>;
  let made: MadeSockets;
  before(async () => {
    ns = createNetns("metrics");
    made = await makeSockets({ netns: ns.name, established: 2, closeWait: 3, timeWait: 4 });
  });
  after(() => {
    made?.child.kill();
    ns?.remove();
  });

  it("counts every state as ss does, and CLOSE_WAIT per process with -p", () => {
    const r = sockdoc(["metrics", "-p"], { netns: ns.name });
    assert.equal(r.status, 0, r.stderr);
    const values = parsePrometheusText(r.stdout);
    const ss = spawnSync("ip", ["netns", "exec", ns.name, "ss", "-tan"], { encoding: "utf8" });
    const counts = countSsStates(ss.stdout).states;
    assert.equal(values.get('sockdoc_tcp_sockets{state="close_wait"}'), counts.CLOSE_WAIT);
    assert.equal(values.get('sockdoc_tcp_sockets{state="close_wait"}'), 3);
    assert.equal(values.get('sockdoc_tcp_sockets{state="listen"}'), counts.LISTEN);
    // Closes not yet in TIME_WAIT may still be in FIN_WAIT: at most the 4 made.
    const tw = values.get('sockdoc_tcp_sockets{state="time_wait"}') ?? -1;
    assert.ok(tw >= 0 && tw <= 4, `time_wait ${tw}`);
    assert.equal(values.get(`sockdoc_close_wait_process_sockets{pid="${made.pid}",comm="node"}`), 3);
    assert.ok((values.get("sockdoc_scrape_duration_seconds") ?? -1) >= 0);
  });
});

describe("sockdoc metrics --listen", () => {
  it("serves GET and HEAD /metrics, 405 with Allow for other methods, 404 elsewhere", async () => {
    const server = await serveMetrics(["127.0.0.1:0"]);
    try {
      const url = server.url;
      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      const body = await ok.text();
      assert.match(body, /^sockdoc_tcp_sockets\{state="listen"\} [1-9]\d*$/m, "at least its own listener");
      const head = await fetch(url, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.match(head.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      assert.equal(await head.text(), "");
      const post = await fetch(url, { method: "POST", body: "x" });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET, HEAD");
      await post.text();
      assert.equal((await fetch(url.replace("/metrics", "/other"))).status, 404);
    } finally {
      await server.stop();
    }
  });

  it("warns on stderr when it listens beyond loopback, and not on loopback", async () => {
    // Bound and stopped at once: nothing is sent to the open port.
    const open = await serveMetrics(["0.0.0.0:0"]);
    try {
      assert.ok(await waitFor(() => open.stderr.length >= 2, 5_000), open.stderr.join("\n"));
      assert.match(open.stderr[1]!, /^sockdoc: warning: 0\.0\.0\.0:\d+ is reachable from other hosts/);
    } finally {
      await open.stop();
    }
    const loopback = await serveMetrics(["localhost:0"]);
    try {
      await waitFor(() => loopback.stderr.length >= 2, 500);
      assert.deepEqual(loopback.stderr.slice(1), []);
    } finally {
      await loopback.stop();
    }
  });

  it("keeps at most --max-connections open, idle ones closed first, and still serves", async () => {
    const server = await serveMetrics(["127.0.0.1:0", "--max-connections", "20"]);
    try {
      const idle = await openIdle(server.port, 60);
      const closed = () => idle.filter((c) => c.closedAfterMs !== null).length;
      // 40 past the cap, well before the 10 s header timeout would close them.
      assert.ok(await waitFor(() => closed() >= 40, 2_000), `closed ${closed()} of 60`);
      const scrape = await fetch(server.url);
      assert.equal(scrape.status, 200);
      assert.match(await scrape.text(), /^sockdoc_tcp_sockets\{state="established"\} \d+$/m);
      for (const c of idle) c.socket.destroy();
    } finally {
      await server.stop();
    }
  });

  it("closes a connection that sends no request within the 10 s header timeout", async () => {
    const server = await serveMetrics(["127.0.0.1:0"]);
    try {
      const [idle] = await openIdle(server.port, 1);
      // 10 s, and Node checks the deadline once a second.
      assert.ok(await waitFor(() => idle!.closedAfterMs !== null, 12_500), "still open after 12.5 s");
    } finally {
      await server.stop();
    }
  });

  it("reads a capture from stdin once, every family from it", () => {
    const file = join(repoRoot, "..", "shared", "captures", "jc__proc-net-tcp_concat_closewait.txt");
    const r = spawnSync(sockdocBin, ["metrics", "-p", "--input", "-"], {
      input: readFileSync(file),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const values = parsePrometheusText(r.stdout);
    assert.equal(values.get('sockdoc_tcp_sockets{state="time_wait"}'), 15);
    assert.equal(values.get('sockdoc_tcp_sockets{state="close_wait"}'), 1);
    assert.ok([...values.keys()].some((k) => k.startsWith("sockdoc_time_wait_destination_sockets{")));
  });

  it("refuses a bad address or a capture with exit 2", () => {
    for (const args of [
      ["metrics", "--listen", "nowhere"],
      ["metrics", "--listen", "9923", "--input", "/dev/null"],
      ["metrics", "--listen", "9923", "--max-connections", "0"],
    ]) {
      const r = sockdoc(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^sockdoc: /);
    }
  });
});
