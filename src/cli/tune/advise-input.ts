/**
 * @module Gathers what the advisor reads, from the live host (or --proc-root,
 * or a capture given with --input): kernel release, the sysctls, the TcpExt
 * counters, counts from the sockets (TIME_WAIT per destination through the
 * TIME_WAIT report, CLOSE_WAIT, listeners' queues) and the config files.
 */
import { PORT_HOLDING_STATES_MASK } from "../../analysis/time-wait/ports.js";
import { buildTimeWaitReport, type Destination } from "../../analysis/time-wait/report.js";
import { settingsFromSysctls } from "../../analysis/time-wait/settings.js";
import type { AdvisorFacts, AdvisorInput, ConfigLine, Listener } from "../../analysis/advisor/types.js";
import { formatEndpoint } from "../../model/endpoint.js";
import { maxSeverity, severityRank } from "../../model/severity.js";
import type { Snapshot } from "../../model/snapshot.js";
import { TcpState } from "../../model/tcp-state.js";
import { readCounters } from "../../sources/counters.js";
import { takeLiveSnapshot } from "../../sources/live.js";
import { ProcFs } from "../../sources/procfs.js";
import { SOCKDOC_SYSCTLS } from "../../sources/sysctl.js";
import { readSysctlConfig } from "../../sources/sysctl-conf.js";
import { type CommonOptions, captureFor, families, sourceChoice, sysctlsFor } from "../common.js";

export interface AdviseOptions extends CommonOptions {
  root?: string;
}

/** TIME_WAIT, what holds ports, CLOSE_WAIT and listeners: what the rules count. */
const STATES = PORT_HOLDING_STATES_MASK;

function destinationName(d: Destination): string {
  const port = d.remote.port === null ? "" : `:${d.remote.port}`;
  const remote =
    d.remote.address.includes(":") && port ? `[${d.remote.address}]${port}` : `${d.remote.address}${port}`;
  return `${d.local.address} -> ${remote}`;
}

function socketFacts(snapshot: Snapshot, sysctls: Record<string, string>): AdvisorFacts {
  const { settings } = settingsFromSysctls(sysctls);
  const report = buildTimeWaitReport({ sockets: snapshot.sockets, settings, windowSec: 10 });
  const outgoing = report.destinations.filter((d) => d.direction === "outgoing");
  const worstSeverity = maxSeverity(outgoing.map((d) => d.severity));
  // Destinations come most TIME_WAIT first: the first at the worst severity is the one to name.
  const worst = outgoing.find(
    (d) => worstSeverity !== null && severityRank(d.severity) === severityRank(worstSeverity),
  );
  const facts: AdvisorFacts = {
    timeWait: snapshot.sockets.filter((s) => s.state === TcpState.TIME_WAIT).length,
    outgoingTimeWait: report.outgoing,
    closeWait: snapshot.sockets.filter((s) => s.state === TcpState.CLOSE_WAIT).length,
    worstOutgoing:
      worst && worst.portsInUse !== null && worst.sustainablePerSec !== null
        ? {
            destination: destinationName(worst),
            severity: worst.severity,
            portsInUse: worst.portsInUse,
            budget: report.settings.budget,
            ratePerSec: worst.ratePerSec,
            sustainablePerSec: worst.sustainablePerSec,
          }
        : null,
  };
  // Only netlink reports a listener's backlog (/proc/net/tcp and captures do not).
  if (snapshot.source.kind === "netlink") {
    facts.listeners = snapshot.sockets
      .filter((s) => s.state === TcpState.LISTEN)
      .map((s): Listener => ({ local: formatEndpoint(s.local), backlog: s.sendQ, queued: s.recvQ }));
  }
  return facts;
}

export interface Gathered {
  input: AdvisorInput;
  header: Omit<Snapshot, "sockets">;
  warnings: string[];
}

export function gatherAdvice(opts: AdviseOptions): Gathered {
  const capture = captureFor([], opts);
  const proc = new ProcFs(opts.procRoot ?? "/proc");
  const snapshot =
    capture ??
    takeLiveSnapshot({
      proc,
      statesMask: STATES,
      families: families(opts),
      source: sourceChoice(opts.source),
      owners: false,
    });
  const warnings = [...snapshot.warnings];
  const read = sysctlsFor(opts, SOCKDOC_SYSCTLS, capture);
  for (const u of read.unreadable) warnings.push(`cannot read ${u.name} (${u.code})`);
  if (capture && Object.keys(read.values).length === 0) {
    warnings.push(
      "the capture holds no kernel settings (a sosreport does): only socket-based advice is possible",
    );
  }
  let counters: Record<string, number> | null = null;
  if (!capture) {
    const c = readCounters(proc);
    counters = c.counters;
    warnings.push(...c.warnings);
  }
  // The config files belong to the host being read: not to a capture or a fixture /proc unless --root says so.
  const configRoot = opts.root ?? (capture || opts.procRoot !== undefined ? null : "/");
  let config: ConfigLine[] | undefined;
  if (configRoot !== null) {
    const conf = readSysctlConfig(configRoot);
    warnings.push(...conf.warnings);
    config = conf.assignments.filter((a) => !a.glob);
  }
  const { sockets: _sockets, ...header } = snapshot;
  return {
    input: {
      kernel: snapshot.host.kernel,
      sysctls: read.values,
      missing: read.missing,
      counters,
      facts: socketFacts(snapshot, read.values),
      ...(config ? { config } : {}),
    },
    header,
    warnings,
  };
}
