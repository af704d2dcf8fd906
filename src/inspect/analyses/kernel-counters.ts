/**
 * @module The scope's kernel counters as an analysis: TcpExt (netstat/snmp)
 * and sockstat, read once with the scope's facts. No sockets: they explain
 * what the socket table cannot (sockets that skipped TIME_WAIT, connections
 * dropped on a full accept queue). A capture carries none, so this fails
 * there and says so.
 */
import type { Counters, Sockstat } from "../../sources/counters.js";
import type { Analysis, Collector } from "../analysis.js";

export interface KernelCounters {
  counters: Counters;
  sockstat: Sockstat | null;
}

export function kernelCountersAnalysis(): Analysis<KernelCounters> {
  return {
    name: "counters",
    needs: { states: 0, counters: true },
    start(facts): Collector<KernelCounters> {
      return {
        add: () => {},
        finish: () => {
          if (facts.counters === null) throw new Error("no kernel counters in this source");
          return { counters: facts.counters, sockstat: facts.sockstat };
        },
      };
    },
  };
}
