/**
 * @module The default report's words: the CLOSE_WAIT / TIME_WAIT headline and
 * the line naming a TIME_WAIT destination about to run out of ports.
 */
import type { Destination, TimeWaitReport } from "../analysis/time-wait/report.js";
import { formatEndpoint } from "../model/endpoint.js";

/**
 * The worst TIME_WAIT destination when it deserves a warning: ports running
 * out toward one destination is what makes TIME_WAIT hurt.
 */
export function timeWaitFindingLine(report: TimeWaitReport): string | null {
  const worst = report.destinations.find((d) => d.severity === report.severity);
  if (report.severity === "info" || worst === undefined) return null;
  return `TIME_WAIT ${report.severity.toUpperCase()} toward ${destinationName(worst)}: ${worst.note} See \`sockdoc timewait\`.`;
}

function destinationName(d: Destination): string {
  return d.remote.port === null
    ? d.remote.address
    : formatEndpoint({ address: d.remote.address, port: d.remote.port });
}

export function headline(states: Record<string, number>): string[] {
  const closeWait = states.CLOSE_WAIT ?? 0;
  const timeWait = states.TIME_WAIT ?? 0;
  const lines: string[] = [];
  lines.push(
    closeWait === 0
      ? "CLOSE_WAIT: none. No application is sitting on connections its peers closed."
      : `CLOSE_WAIT: ${closeWait} socket${closeWait === 1 ? "" : "s"} whose peer closed but the application has not called close(). ` +
          "They never time out; see `sockdoc closewait`.",
  );
  lines.push(
    timeWait === 0
      ? "TIME_WAIT: none."
      : `TIME_WAIT: ${timeWait} socket${timeWait === 1 ? "" : "s"}; each holds its 4-tuple for 60 s after this host closed first.`,
  );
  return lines;
}
