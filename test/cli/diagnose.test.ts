/**
 * The default report on a host whose ephemeral ports are nearly used up
 * toward one destination: it must say so, in text and JSON. Root only: the
 * test shrinks the port range inside a namespace it makes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { createNetns, isRoot, sockdoc } from "../support/run.js";

const PORT = 8443;
const CLOSES = 470;

// Connect and close first, one after another, so each client port stays in TIME_WAIT.
const MAKER = `const net = require("net");
const srv = net.createServer((s) => s.resume()).listen(${PORT}, "127.0.0.1", async () => {
  for (let i = 0; i < ${CLOSES}; i++) {
    await new Promise((r) => { const c = net.connect(${PORT}, "127.0.0.1", () => { c.end(); c.resume(); c.on("close", r); }); });
  }
  srv.close();
});`;

describe(
  "sockdoc (diagnose) with ports running out",
  { skip: isRoot ? false : "needs root to make a namespace" },
  () => {
    let ns: { name: string; remove: () => void } | undefined;
    before(() => {
      ns = createNetns("diag");
      const set = spawnSync("ip", [
        "netns",
        "exec",
        ns.name,
        "sysctl",
        "-qw",
        "net.ipv4.ip_local_port_range=61000 61499",
        "net.ipv4.tcp_tw_reuse=0",
      ]);
      assert.equal(set.status, 0, String(set.stderr));
      const made = spawnSync("ip", ["netns", "exec", ns.name, process.execPath, "-e", MAKER], {
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(made.status, 0, made.stderr);
    });
    after(() => ns?.remove());

    it("leads the TIME_WAIT headline with the destination about to fail", () => {
      const r = sockdoc([], { netns: ns!.name, env: { COLUMNS: "200" } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`TIME_WAIT CRITICAL toward 127\\.0\\.0\\.1:${PORT}: .* free ports run out`),
      );
    });

    it("names it in JSON", () => {
      const r = sockdoc(["--json"], { netns: ns!.name });
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        timeWait: { total: number; severity: string; worst: { remote: { port: number }; portsLeft: number } };
      };
      assert.equal(doc.timeWait.total, CLOSES);
      assert.equal(doc.timeWait.severity, "critical");
      assert.equal(doc.timeWait.worst.remote.port, PORT);
      assert.equal(doc.timeWait.worst.portsLeft, 500 - CLOSES);
    });
  },
);
