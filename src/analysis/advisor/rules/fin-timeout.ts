/**
 * @module Rule: net.ipv4.tcp_fin_timeout lowered in the belief that it
 * shortens TIME_WAIT. It does not: TIME_WAIT lasts 60 s (TCP_TIMEWAIT_LEN,
 * fixed in the kernel). tcp_fin_timeout is how long an orphaned socket (its
 * application has closed it) waits in FIN_WAIT_2 for the peer's FIN.
 */
import { intSetting, outgoingPressure } from "../facts.js";
import type { AdvisorInput, Finding } from "../types.js";

const NAME = "net.ipv4.tcp_fin_timeout";
const DEFAULT_SECONDS = 60;

export function finTimeoutRule(input: AdvisorInput): Finding[] {
  const seconds = intSetting(input, NAME);
  if (seconds === null || seconds >= DEFAULT_SECONDS) return [];
  const pressure = outgoingPressure(input);
  return [
    {
      id: "fin-timeout-not-time-wait",
      severity: pressure ? "warning" : "info",
      setting: NAME,
      current: input.sysctls[NAME] ?? null,
      recommended: null,
      why:
        `tcp_fin_timeout ${seconds} does not shorten TIME_WAIT, which stays 60 s whatever it says; ` +
        `it only limits how long a closed (orphaned) socket waits in FIN_WAIT_2 for the peer's FIN ` +
        `(default 60).` +
        (pressure
          ? " The ports running out here need tcp_tw_reuse, a wider ip_local_port_range or " +
            "connection reuse (see the other findings)."
          : " Harmless, but it is not a TIME_WAIT fix."),
      command: null,
    },
  ];
}
