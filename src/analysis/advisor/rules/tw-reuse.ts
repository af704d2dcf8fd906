/**
 * @module Rule: net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only: the
 * default since 4.18). Reuse lets connect() take over a port whose TIME_WAIT
 * is older than tcp_tw_reuse_delay (6.14+; about 1 s before) when TCP
 * timestamps are on. It helps only connections this host opens, so 1 is
 * recommended only when outgoing TIME_WAIT is running a destination out of
 * ports. Under that pressure the advice stands even when the value is unknown
 * (a capture without settings): ports running out is worth saying.
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { applyCommand } from "../apply-command.js";
import { twReuseDefault, twReuseText } from "../explained-settings.js";
import { intSetting, outgoingPressure, pressureText } from "../facts.js";
import type { AdvisorInput, Finding, OutgoingPressure } from "../types.js";
import { configExplains } from "./explained-config.js";

const NAME = "net.ipv4.tcp_tw_reuse";
const TIMESTAMPS = "net.ipv4.tcp_timestamps";

function delayText(input: AdvisorInput): string {
  const delay = intSetting(input, "net.ipv4.tcp_tw_reuse_delay");
  if (delay !== null) return `${delay} ms (net.ipv4.tcp_tw_reuse_delay)`;
  return kernelAtLeast(input.kernel, "6.14") ? "tcp_tw_reuse_delay ms" : "about 1 s";
}

function unknownUnderPressure(
  input: AdvisorInput,
  pressure: OutgoingPressure,
  timestampsOff: boolean,
): Finding {
  const settings: Array<[string, string]> = timestampsOff ? [[TIMESTAMPS, "1"]] : [];
  settings.push([NAME, "1"]);
  return {
    id: "tw-reuse-pressure",
    severity: pressure.severity,
    setting: NAME,
    current: null,
    recommended: "1",
    why:
      `${pressureText(pressure)}. The value of ${NAME} is unknown (not in the capture, or not ` +
      `readable): unless it is 1, set 1, so that connect() may take over a port whose TIME_WAIT is ` +
      `older than ${delayText(input)} (it needs TCP timestamps on, net.ipv4.tcp_timestamps). ` +
      `It changes nothing for connections other hosts open to this one.`,
    command: applyCommand(settings),
  };
}

export function twReuseRule(input: AdvisorInput): Finding[] {
  const reuse = intSetting(input, NAME);
  const timestampsOff = intSetting(input, TIMESTAMPS) === 0;
  const pressure = outgoingPressure(input);
  // Every kernel has it (since 2.4): unknown means not read, e.g. a capture (whose absent names are "missing").
  if (reuse === null) return pressure ? [unknownUnderPressure(input, pressure, timestampsOff)] : [];
  const current = input.sysctls[NAME] ?? null;
  if (pressure && reuse !== 1) {
    const settings: Array<[string, string]> = timestampsOff ? [[TIMESTAMPS, "1"]] : [];
    settings.push([NAME, "1"]);
    return [
      {
        id: "tw-reuse-pressure",
        severity: pressure.severity,
        setting: NAME,
        current,
        recommended: "1",
        why:
          `${pressureText(pressure)}. With 1, connect() may take over a port whose TIME_WAIT is ` +
          `older than ${delayText(input)}, safely, since TCP timestamps tell old segments from new ones` +
          `${timestampsOff ? " (so tcp_timestamps must be turned on too; it is 0)" : ""}. ` +
          `${reuse === 2 ? "The current 2 covers loopback connections only. " : ""}` +
          `It changes nothing for connections other hosts open to this one.`,
        command: applyCommand(settings),
      },
    ];
  }
  const timeWait = input.facts.timeWait ?? 0;
  if (reuse === 1 && timeWait > 0 && input.facts.outgoingTimeWait === 0) {
    return [
      {
        id: "tw-reuse-incoming-only",
        severity: "info",
        setting: NAME,
        current,
        recommended: null,
        why:
          `All ${timeWait} TIME_WAIT sockets are of connections other hosts opened (this host closed ` +
          `first as the server); tcp_tw_reuse does nothing for them. They cost memory, not ports.`,
        command: null,
      },
    ];
  }
  if (reuse === 0 && kernelAtLeast(input.kernel, "4.18")) {
    return [
      {
        id: "tw-reuse-off",
        severity: "info",
        setting: NAME,
        current,
        recommended: "2",
        why:
          "0 turns reuse off even for loopback connections; the default since Linux 4.18 is 2 " +
          "(loopback only), which keeps local proxies and sidecars from running out of ports.",
        command: applyCommand([[NAME, "2"]]),
      },
    ];
  }
  if (reuse === 2 && timeWait > 0) {
    return [
      {
        id: "tw-reuse-loopback",
        severity: "info",
        setting: NAME,
        current,
        recommended: null,
        why:
          "2 means reuse for loopback connections only (the default since Linux 4.18). Set 1 only if " +
          "this host opens many connections to one remote address and port and runs out of ports " +
          "(`sockdoc timewait` shows it); 1 never helps connections other hosts open.",
        command: null,
      },
    ];
  }
  // Any other value set away from the kernel's default (1 on a quiet host, say): what it does here.
  if (current !== null && current.trim() !== twReuseDefault(input.kernel) && !configExplains(input, NAME)) {
    return [
      {
        id: "tw-reuse-explained",
        severity: "info",
        setting: NAME,
        current,
        recommended: null,
        why: `${twReuseText(current.trim(), input.kernel, input.sysctls[TIMESTAMPS])}.`,
        command: null,
      },
    ];
  }
  return [];
}
