/**
 * @module Helpers for the tests of deploy/: where the shipped files are,
 * promtool and prometheus (Debian's prometheus package) when installed, the
 * metric names sockdoc really exports, and the names an expression uses.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { repoRoot, sockdoc, sockdocBin } from "../support/run.js";

export const deployDir = join(repoRoot, "deploy");
export const rulesFile = join(deployDir, "prometheus", "sockdoc-rules.yml");

export function onPath(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).status === 0;
}

/** A skip reason when the tool is missing (the Debian package "prometheus" ships both). */
export function needs(tool: "promtool" | "prometheus"): string | false {
  return onPath(tool) ? false : `${tool} not installed (apt-get install prometheus)`;
}

/** Family names in real `sockdoc metrics -p` output of this host (each has a TYPE line, samples or not). */
export function exportedNames(): Set<string> {
  const r = sockdoc(["metrics", "-p"]);
  if (r.status !== 0) throw new Error(`sockdoc metrics -p: ${r.stderr}`);
  const names = new Set<string>();
  for (const m of r.stdout.matchAll(/^# TYPE (\S+) /gm)) names.add(m[1]!);
  return names;
}

/** sockdoc_* metric names and sockdoc:* recording-rule names an expression uses. */
export function namesIn(expr: string): { metrics: string[]; recorded: string[] } {
  return {
    metrics: [...expr.matchAll(/\bsockdoc_[a-z0-9_]+/g)].map((m) => m[0]),
    recorded: [...expr.matchAll(/\bsockdoc:[a-z0-9_:]+/g)].map((m) => m[0]),
  };
}

export interface RuleText {
  kind: "alert" | "record";
  name: string;
  /** The rule's text, from its "- alert:"/"- record:" line to the next rule. */
  text: string;
}

/** The rules of the shipped file, split on their "- alert:" and "- record:" lines. */
export function shippedRules(): RuleText[] {
  const text = readFileSync(rulesFile, "utf8");
  const rules: RuleText[] = [];
  const starts = [...text.matchAll(/^\s*- (alert|record): (\S+)$/gm)];
  starts.forEach((m, i) => {
    const end = starts[i + 1]?.index ?? text.length;
    rules.push({ kind: m[1] as "alert" | "record", name: m[2]!, text: text.slice(m.index, end) });
  });
  return rules;
}

export function readDeploy(...path: string[]): string {
  return readFileSync(join(deployDir, ...path), "utf8");
}

/** key -> values of a systemd unit's [Service] section (a key may repeat). */
export function serviceKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = "";
  for (const line of text.split("\n")) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1]!;
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (section === "Service" && kv) keys.set(kv[1]!, [...(keys.get(kv[1]!) ?? []), kv[2]!]);
  }
  return keys;
}

/** `systemd-analyze verify` of a shipped unit, its sockdoc path pointed at this checkout: stderr, or "" when clean. */
export function verifyUnit(name: string, sockdocBin: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-unit-"));
  try {
    const unit = join(dir, name);
    writeFileSync(unit, readDeploy("systemd", name).replaceAll("/usr/local/bin/sockdoc", sockdocBin));
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    return { status: r.status, stderr: r.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A shipped unit's text and its [Service] values, read afresh at each call. */
export function shippedUnit(name: string) {
  const text = () => readDeploy("systemd", name);
  const keys = () => serviceKeys(text());
  const value = (k: string) => keys().get(k)?.join(" ");
  return {
    text,
    keys,
    value,
    capabilities: () => (value("AmbientCapabilities") ?? "").split(/\s+/).filter(Boolean),
    /** The ExecStart's arguments after the binary. */
    execArgs: () => (value("ExecStart") ?? "").split(/\s+/).slice(1),
  };
}

/**
 * What every shipped unit must hold, as tests of the suite it is called in:
 * the two capabilities the owner lookup needs, bounded to them, each justified
 * in a comment; and a clean `systemd-analyze verify`.
 */
export function unitCapabilityAndVerifyTests(name: string): void {
  const unit = shippedUnit(name);
  it("bounds to the capabilities it grants, each justified in a comment", () => {
    assert.deepEqual(unit.capabilities().sort(), ["CAP_DAC_READ_SEARCH", "CAP_SYS_PTRACE"]);
    assert.equal(unit.value("CapabilityBoundingSet"), unit.value("AmbientCapabilities"));
    for (const cap of unit.capabilities()) assert.match(unit.text(), new RegExp(`^# - ${cap}: `, "m"));
  });

  const analyze = onPath("systemd-analyze") ? false : "systemd-analyze not installed";
  it("passes systemd-analyze verify", { skip: analyze }, () => {
    const r = verifyUnit(name, sockdocBin);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
  });
}
