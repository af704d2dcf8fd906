/**
 * @module Gathers what the advisor reads, from the live host (or --proc-root,
 * or a capture given with --input), through one inspection: kernel release,
 * the sysctls, the TcpExt counters, the socket counts (inspect/analyses/
 * advice.ts) and the config files.
 */
import type { AdvisorInput, ConfigLine } from "../../analysis/advisor/types.js";
import { adviceAnalysis } from "../../inspect/analyses/advice.js";
import { headerOf, type InspectionHeader } from "../../inspect/header.js";
import { inspect, resultOf } from "../../inspect/inspect.js";
import { readSysctlConfig } from "../../sources/sysctl-conf.js";
import { type CommonOptions, scopeFor } from "../common.js";

export interface AdviseOptions extends CommonOptions {
  root?: string;
}

export interface Gathered {
  input: AdvisorInput;
  header: InspectionHeader;
  warnings: string[];
}

export async function gatherAdvice(opts: AdviseOptions): Promise<Gathered> {
  const scope = scopeFor(opts);
  const analysis = adviceAnalysis();
  const inspection = await inspect(scope, [analysis]);
  const capture = scope.kind === "capture";
  const read = inspection.facts.sysctls;
  const warnings = [...inspection.warnings];
  for (const u of read.unreadable) warnings.push(`cannot read ${u.name} (${u.code})`);
  if (capture && Object.keys(read.values).length === 0) {
    warnings.push(
      "the capture holds no kernel settings (a sosreport does): only socket-based advice is possible",
    );
  }
  // The config files belong to the host being read: not to a capture or a fixture /proc unless --root says so.
  const configRoot = opts.root ?? (capture || opts.procRoot !== undefined ? null : "/");
  let config: ConfigLine[] | undefined;
  if (configRoot !== null) {
    const conf = readSysctlConfig(configRoot);
    warnings.push(...conf.warnings);
    config = conf.assignments.filter((a) => !a.glob);
  }
  return {
    input: {
      kernel: inspection.facts.host.kernel,
      sysctls: read.values,
      missing: read.missing,
      counters: inspection.facts.counters,
      facts: resultOf(inspection, analysis),
      ...(config ? { config } : {}),
    },
    header: { ...headerOf(inspection), warnings: [] },
    warnings,
  };
}
