/**
 * @module Rule: net.core.somaxconn and net.ipv4.tcp_max_syn_backlog against
 * the listeners (only when listener data is given: netlink reports each
 * listener's backlog). listen()'s backlog is cut to somaxconn (4096 by
 * default since Linux 5.4, 128 before); a full accept queue drops new
 * connections (TcpExt.ListenOverflows).
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { applyCommand } from "../apply-command.js";
import { counter, intSetting } from "../facts.js";
import type { AdvisorInput, Finding, Listener } from "../types.js";

const SOMAXCONN = "net.core.somaxconn";
const SYN_BACKLOG = "net.ipv4.tcp_max_syn_backlog";

function full(l: Listener): boolean {
  return l.backlog > 0 && l.queued >= l.backlog;
}

export function backlogRule(input: AdvisorInput): Finding[] {
  const listeners = input.facts.listeners;
  const somaxconn = intSetting(input, SOMAXCONN);
  if (!listeners || listeners.length === 0 || somaxconn === null) return [];
  const overflows = counter(input, "TcpExt.ListenOverflows") ?? 0;
  const fullNow = listeners.filter(full);
  if (fullNow.length === 0 && overflows === 0) return [];
  const clamped = listeners.filter((l) => l.backlog === somaxconn);
  const evidence =
    (fullNow.length > 0
      ? `accept queue full now on ${fullNow.map((l) => `${l.local} (${l.queued}/${l.backlog})`).join(", ")}`
      : "no accept queue full right now") +
    (overflows > 0
      ? `; ${overflows} connections dropped on a full queue since boot (TcpExt.ListenOverflows)`
      : "");
  const capped = fullNow.length > 0 ? fullNow.filter((l) => l.backlog === somaxconn) : clamped;
  if (capped.length === 0) {
    const widest = [...(fullNow.length > 0 ? fullNow : listeners)].sort((a, b) => b.backlog - a.backlog)[0]!;
    return [
      {
        id: "backlog-app-limited",
        severity: "info",
        setting: SOMAXCONN,
        current: String(somaxconn),
        recommended: null,
        why:
          `${evidence}. No listener's backlog is cut by somaxconn (${somaxconn}): the largest is ` +
          `${widest.backlog} on ${widest.local}, as the application asked in listen(). Raising ` +
          "somaxconn does not help; the application must accept faster or ask for a larger backlog.",
        command: null,
      },
    ];
  }
  const floor = kernelAtLeast(input.kernel, "5.4") ? 4096 : 1024;
  const recommended = Math.max(floor, 2 * somaxconn);
  const settings: Array<[string, string]> = [[SOMAXCONN, String(recommended)]];
  const syn = intSetting(input, SYN_BACKLOG);
  if (syn !== null && syn < recommended) settings.push([SYN_BACKLOG, String(recommended)]);
  return [
    {
      id: "backlog-somaxconn",
      severity: "warning",
      setting: SOMAXCONN,
      current: String(somaxconn),
      recommended: String(recommended),
      why:
        `${evidence}. ${capped.map((l) => l.local).join(", ")} ${capped.length === 1 ? "has" : "have"} ` +
        `a backlog equal to somaxconn, so listen() asked for at least that and was cut to it. ` +
        `Raise somaxconn${settings.length > 1 ? ` and tcp_max_syn_backlog (${syn}, the half-open queue)` : ""}; ` +
        "the application must still accept fast enough.",
      command: applyCommand(settings),
    },
  ];
}
