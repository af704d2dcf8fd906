/**
 * deploy/prometheus: the shipped rules pass promtool's check and its unit
 * tests, every alert has tests that fire and that do not, and every metric
 * the rules use is one sockdoc really exports. Also `promtool check metrics`
 * on real sockdoc output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, sockdocBin } from "../support/run.js";
import { deployDir, exportedNames, namesIn, needs, rulesFile, shippedRules } from "./support.js";

const testsDir = join(deployDir, "prometheus", "tests");
const testFiles = () =>
  readdirSync(testsDir)
    .filter((f) => f.endsWith(".yml"))
    .map((f) => join(testsDir, f));

function promtool(args: string[], input?: string) {
  return spawnSync("promtool", args, { encoding: "utf8", cwd: repoRoot, ...(input ? { input } : {}) });
}

describe("deploy/prometheus/sockdoc-rules.yml", () => {
  it("passes promtool check rules", { skip: needs("promtool") }, () => {
    const r = promtool(["check", "rules", rulesFile]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`SUCCESS: ${shippedRules().length} rules found`));
  });

  it("passes its promtool unit tests", { skip: needs("promtool") }, () => {
    const r = promtool(["test", "rules", ...testFiles()]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /FAILED/);
  });

  it("has, for every alert, a unit test where it fires and one where it does not", () => {
    const firing = new Set<string>();
    const quiet = new Set<string>();
    for (const file of testFiles()) {
      for (const block of readFileSync(file, "utf8")
        .split(/^\s*- eval_time:/m)
        .slice(1)) {
        const name = /alertname: (\S+)/.exec(block)?.[1];
        if (!name) continue;
        (/exp_alerts: \[\]/.test(block) ? quiet : firing).add(name);
      }
    }
    const alerts = shippedRules().filter((r) => r.kind === "alert");
    assert.ok(alerts.length >= 8, `${alerts.length} alerts`);
    for (const a of alerts) {
      assert.ok(firing.has(a.name), `no test where ${a.name} fires`);
      assert.ok(quiet.has(a.name), `no test where ${a.name} stays quiet`);
    }
  });

  it("gives every alert a summary and a description saying what to run", () => {
    for (const a of shippedRules().filter((r) => r.kind === "alert")) {
      assert.match(a.text, /summary: /, a.name);
      assert.match(a.text, /description: /, a.name);
      assert.match(a.text, /`(sudo )?(sockdoc|systemctl) [^`]+`/, `${a.name}: no command to run`);
    }
    const portAlerts = shippedRules().filter((r) => r.kind === "alert" && r.name.includes("Port"));
    assert.ok(portAlerts.some((a) => a.text.includes("sockdoc_time_wait_destination_")));
  });

  it("uses only metrics sockdoc exports and recording rules it defines", () => {
    const exported = exportedNames();
    const recorded = new Set(
      shippedRules()
        .filter((r) => r.kind === "record")
        .map((r) => r.name),
    );
    for (const rule of shippedRules()) {
      const expr = rule.text.slice(rule.text.indexOf("expr:"));
      const used = namesIn(expr.slice(0, expr.search(/\n\s+(for|labels|annotations):|$/)));
      for (const m of used.metrics) assert.ok(exported.has(m), `${rule.name} uses ${m}, not exported`);
      for (const r of used.recorded) assert.ok(recorded.has(r), `${rule.name} uses ${r}, not recorded`);
    }
  });
});

describe("promtool check metrics on real sockdoc output", { skip: needs("promtool") }, () => {
  it("finds nothing to say about `sockdoc metrics -p` of this host", () => {
    const out = spawnSync(sockdocBin, ["metrics", "-p"], { encoding: "utf8" });
    assert.equal(out.status, 0, out.stderr);
    const r = promtool(["check", "metrics"], out.stdout);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout + r.stderr, "");
  });
});
