/**
 * @module Rule: net.ipv4.tcp_fin_timeout changed from its 60 s, usually
 * lowered in the belief that it shortens TIME_WAIT. It does not: TIME_WAIT
 * lasts 60 s (TCP_TIMEWAIT_LEN, fixed in the kernel). tcp_fin_timeout is how
 * long an orphaned socket (its application has closed it) waits in
 * FIN_WAIT_2 for the peer's FIN. The text is the one `tune lint` gives
 * (../explained-settings.ts).
 */
import { FIN_TIMEOUT, FIN_TIMEOUT_DEFAULT, finTimeoutText } from "../explained-settings.js";
import { intSetting, outgoingPressure } from "../facts.js";
import type { AdvisorInput, Finding } from "../types.js";
import { configExplains } from "./explained-config.js";

export function finTimeoutRule(input: AdvisorInput): Finding[] {
  const seconds = intSetting(input, FIN_TIMEOUT);
  if (seconds === null || seconds === FIN_TIMEOUT_DEFAULT) return [];
  const pressure = outgoingPressure(input);
  const lowered = seconds < FIN_TIMEOUT_DEFAULT;
  // A config line says the same at its FILE:LINE: nothing to add, unless ports are running out.
  if (!(pressure && lowered) && configExplains(input, FIN_TIMEOUT)) return [];
  const note = !lowered
    ? " Raised, it keeps orphaned sockets (and their memory) longer; it does not lengthen TIME_WAIT either."
    : pressure
      ? " The ports running out here need tcp_tw_reuse, a wider ip_local_port_range or " +
        "connection reuse (see the other findings)."
      : " Harmless, but it is not a TIME_WAIT fix.";
  return [
    {
      id: "fin-timeout-not-time-wait",
      severity: pressure && lowered ? "warning" : "info",
      setting: FIN_TIMEOUT,
      current: input.sysctls[FIN_TIMEOUT] ?? null,
      recommended: null,
      why: `${finTimeoutText(String(seconds))}.${note}`,
      command: null,
    },
  ];
}
