/**
 * @module Rule: net.ipv4.tcp_timestamps off. TIME_WAIT reuse (tcp_tw_reuse,
 * any value) needs timestamps on both ends, and so does PAWS, which protects
 * fast connections from old segments; with 0 they silently do nothing.
 */
import { applyCommand } from "../apply-command.js";
import { intSetting, outgoingPressure } from "../facts.js";
import type { AdvisorInput, Finding } from "../types.js";

const NAME = "net.ipv4.tcp_timestamps";

export function timestampsRule(input: AdvisorInput): Finding[] {
  if (intSetting(input, NAME) !== 0) return [];
  const reuse = intSetting(input, "net.ipv4.tcp_tw_reuse");
  const wantsReuse = (reuse !== null && reuse !== 0) || outgoingPressure(input) !== null;
  return [
    {
      id: "timestamps-off",
      severity: wantsReuse ? "warning" : "info",
      setting: NAME,
      current: input.sysctls[NAME] ?? null,
      recommended: "1",
      why:
        (reuse !== null && reuse !== 0
          ? `TCP timestamps are off, so tcp_tw_reuse (${reuse}) reuses no TIME_WAIT port at all`
          : "TCP timestamps are off, so tcp_tw_reuse could not reuse TIME_WAIT ports even if turned on") +
        " (it needs them to tell old segments from new), and PAWS protection is off too. 1 turns them on.",
      command: applyCommand([[NAME, "1"]]),
    },
  ];
}
