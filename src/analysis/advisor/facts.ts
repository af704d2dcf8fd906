/**
 * @module Small readers the rules share: a sysctl as a number, whether
 * outgoing TIME_WAIT is under pressure, a rate for the prose. Pure.
 */
import { severityRank } from "../../model/severity.js";
import { formatRate } from "../time-wait/note.js";
import { parseKernelInt } from "./setting-value.js";
import type { AdvisorInput, OutgoingPressure } from "./types.js";

export function intSetting(input: AdvisorInput, name: string): number | null {
  const text = input.sysctls[name];
  return text === undefined ? null : parseKernelInt(text);
}

/** The worst outgoing destination when it is at warning or worse; else null. */
export function outgoingPressure(input: AdvisorInput): OutgoingPressure | null {
  const worst = input.facts.worstOutgoing;
  return worst && severityRank(worst.severity) >= severityRank("warning") ? worst : null;
}

export function pressureText(p: OutgoingPressure): string {
  const rate = p.ratePerSec === null ? "" : `, ${formatRate(p.ratePerSec)} new/s`;
  return (
    `Outgoing connections ${p.destination} hold ${p.portsInUse} of ${p.budget} usable ports${rate} ` +
    `(without reuse one destination sustains ${formatRate(p.sustainablePerSec)}/s: each closed ` +
    `connection keeps its port 60 s in TIME_WAIT)`
  );
}

export function counter(input: AdvisorInput, name: string): number | null {
  return input.counters?.[name] ?? null;
}
