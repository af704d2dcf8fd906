/**
 * @module Gathers what the config lint reads under a root ("/" or a fixture
 * tree): the sysctl config files, and the running values of the keys they
 * set from <root>/proc/sys (so a namespace's or a mounted image's view can
 * be linted too).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LintInput } from "../../analysis/advisor/lint/types.js";
import { readKernelRelease } from "../../sources/kernel.js";
import { ProcFs } from "../../sources/procfs.js";
import { readSysctlSet } from "../../sources/sysctl.js";
import { readSysctlConfig } from "../../sources/sysctl-conf.js";

const PORT_START = "net.ipv4.ip_unprivileged_port_start";

export function gatherLint(root: string): { input: LintInput; warnings: string[]; hostname: string | null } {
  const config = readSysctlConfig(root);
  const warnings = [...config.warnings];
  const proc = new ProcFs(join(root, "proc"));
  const kernelChecked = existsSync(proc.path("sys"));
  const keys = [...new Set(config.assignments.filter((a) => !a.glob).map((a) => a.key))];
  let running: Record<string, string> = {};
  let missing: string[] = [];
  if (kernelChecked) {
    const read = readSysctlSet(proc, [...keys, PORT_START]);
    running = read.values;
    missing = read.missing.filter((k) => k !== PORT_START);
    for (const u of read.unreadable) warnings.push(`cannot read ${u.name} (${u.code}); not compared`);
  } else {
    warnings.push(`${proc.path("sys")} is missing: the files were checked, not the running kernel`);
  }
  return {
    input: {
      files: config.files,
      assignments: config.assignments,
      problems: config.problems,
      kernel: kernelChecked ? readKernelRelease(proc) : null,
      kernelChecked,
      running,
      missing,
    },
    warnings,
    hostname: kernelChecked ? (proc.tryRead("sys", "kernel", "hostname")?.trim() ?? null) : null,
  };
}
