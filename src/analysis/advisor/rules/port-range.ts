/**
 * @module Rule: net.ipv4.ip_local_port_range too narrow for the outgoing
 * load. Each destination (address and port) gets the whole range, and each
 * closed connection holds its port 60 s in TIME_WAIT, so a range of N ports
 * sustains about N / 60 new connections per second to one destination
 * (28232 / 60 = 470/s with the default 32768-60999). Under that pressure the
 * advice stands even when the range is unknown (a capture without settings).
 */
import { parsePortRange } from "../../time-wait/ports.js";
import { formatRate } from "../../time-wait/note.js";
import { applyCommand } from "../apply-command.js";
import { outgoingPressure } from "../facts.js";
import type { AdvisorInput, Finding, OutgoingPressure } from "../types.js";

const NAME = "net.ipv4.ip_local_port_range";
/** Wide, above the privileged ports, low even and high odd (the kernel's preferred parity). */
export const WIDE_RANGE: readonly [number, number] = [10240, 65535];

const WIDE = `${WIDE_RANGE[0]} ${WIDE_RANGE[1]}`;
const WIDE_SIZE = WIDE_RANGE[1] - WIDE_RANGE[0] + 1;
const RESERVE_NOTE =
  "A service that binds a port inside the range after start-up may find it taken by an outgoing " +
  "connection: list such ports in net.ipv4.ip_local_reserved_ports.";

function unknownUnderPressure(pressure: OutgoingPressure): Finding {
  return {
    id: "port-range-narrow",
    severity: pressure.severity,
    setting: NAME,
    current: null,
    recommended: WIDE,
    why:
      `The port range is unknown (not in the capture, or not readable); ${pressure.destination} is at ` +
      `${pressure.portsInUse} of ${pressure.budget} usable ports. Unless the range is already that wide, ` +
      `${WIDE} gives ${WIDE_SIZE} (about ${formatRate(WIDE_SIZE / 60)} new connections/s to one ` +
      `destination; the default 32768 60999 gives 28232, about 470/s). ${RESERVE_NOTE}`,
    command: applyCommand([[NAME, WIDE]]),
  };
}

export function portRangeRule(input: AdvisorInput): Finding[] {
  const pressure = outgoingPressure(input);
  const text = input.sysctls[NAME];
  const range = text === undefined ? null : parsePortRange(text);
  if (!pressure) return [];
  // Every kernel has it: unknown means not read, e.g. a capture (whose absent names are "missing").
  if (text === undefined) return [unknownUnderPressure(pressure)];
  if (!range) return [];
  const low = Math.min(range[0], WIDE_RANGE[0]);
  const high = Math.max(range[1], WIDE_RANGE[1]);
  if (low === range[0] && high === range[1]) return [];
  const size = range[1] - range[0] + 1;
  const wider = high - low + 1;
  const recommended = `${low} ${high}`;
  return [
    {
      id: "port-range-narrow",
      severity: pressure.severity,
      setting: NAME,
      current: `${range[0]} ${range[1]}`,
      recommended,
      why:
        `${size} ports sustain about ${formatRate(size / 60)} new connections/s to one destination; ` +
        `${pressure.destination} is at ${pressure.portsInUse} of ${pressure.budget} usable. ` +
        `${recommended} gives ${wider} (about ${formatRate(wider / 60)}/s). ${RESERVE_NOTE}`,
      command: applyCommand([[NAME, recommended]]),
    },
  ];
}
