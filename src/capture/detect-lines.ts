/**
 * @module What one line of a capture says about the tool that printed it: a
 * header or title is strong evidence, a data row weak but plentiful. Each
 * rule looks for what only that tool prints (ss's "Local Address:Port" and
 * hyphenated states, /proc's hex "sl" rows, BSD's "(state)" and host.port
 * endpoints, Solaris's "TCP: IPv4" sections, Windows's upper-case "TCP").
 * Pure.
 */
import type { CaptureFormat } from "./capture.js";
import { splitColonEndpoint, splitDotEndpoint } from "./endpoint-text.js";

export interface Vote {
  format: CaptureFormat;
  weight: number;
}

const HEADER = 10;
const TITLE = 5;
const ROW = 1;

const SS_STATE =
  "(?:ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|UNCONN|CLOSE-WAIT|LAST-ACK|LISTEN|CLOSING)";

type Rule = (line: string) => Vote | null;

const vote = (format: CaptureFormat, weight: number): Vote => ({ format, weight });

const procNet: Rule = (line) => {
  const header = /^\s*sl\s+local_address\s+(rem|remote)_address\s/.exec(line);
  if (header) return vote(header[1] === "rem" ? "proc-net-tcp" : "proc-net-tcp6", HEADER);
  const row =
    /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):[0-9A-Fa-f]{4}\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+[0-9A-Fa-f]{2}\s/.exec(
      line,
    );
  if (row) return vote(row[1]!.length === 8 ? "proc-net-tcp" : "proc-net-tcp6", ROW);
  return null;
};

const ss: Rule = (line) => {
  if (/^\s*(?:Netid\s+)?(?:State\s+)?Recv-Q\s+Send-Q\s+Local\s+Address:Port\b/.test(line)) {
    return vote("ss", HEADER);
  }
  // A state right at the start, or after a Netid: netstat puts Recv-Q there.
  const row = new RegExp(`^\\s*(?:[a-z][a-z0-9_]*\\s+)?${SS_STATE}\\s+\\d+\\s+\\d+\\s+\\S`);
  return row.test(line) ? vote("ss", ROW) : null;
};

const windows: Rule = (line) => {
  if (/^\s*Active Connections\s*$/.test(line)) return vote("netstat-windows", TITLE);
  if (/^\s*Proto\s+Local Address\s+Foreign Address\s+State\b/.test(line)) {
    return vote("netstat-windows", HEADER);
  }
  // Rows are the same in every Windows language; the protocol is upper case.
  // Without -n the ports may be service names ("0.0.0.0:epmap").
  if (/^\s*(?:TCP|UDP)\s+\S+:(?:\d+|\*|[A-Za-z][\w+-]*)\s+\S+:(?:\d+|\*|[A-Za-z][\w+-]*)(?:\s|$)/.test(line))
    return vote("netstat-windows", ROW);
  return null;
};

const solaris: Rule = (line) => {
  if (/^(?:TCP|UDP|SCTP)(?:: IPv[46])?\s*$/.test(line)) return vote("netstat-solaris", HEADER);
  if (/^\s*Local Address\s+Remote Address\s+Swind\s+Send-Q\s+Rwind\s+Recv-Q\s+State/.test(line)) {
    return vote("netstat-solaris", HEADER);
  }
  // illumos -u puts User, Pid and Command between the endpoints and the counters.
  const row =
    /^\s*\S+\.(?:\d+|\*|[A-Za-z][\w+-]*)\s+\S+\.(?:\d+|\*|[A-Za-z][\w+-]*)\s+(?:\S+\s+\d+\s+\S.*?\s+)?\d+\s+\d+\s+\d+\s+\d+\s+[A-Z_0-9]+\s*/;
  return row.test(line) ? vote("netstat-solaris", ROW) : null;
};

/** Linux writes 1.2.3.4:80 and :::22, BSD 1.2.3.4.80 and *.*; null when the text could be either or neither. */
function endpointStyle(text: string): "netstat-linux" | "netstat-bsd" | null {
  const colon = splitColonEndpoint(text) !== null;
  const dot = splitDotEndpoint(text) !== null;
  if (colon === dot) return null;
  return colon ? "netstat-linux" : "netstat-bsd";
}

const netstat: Rule = (line) => {
  const title = /^\s*Active Internet connections\b\s*(.*)$/.exec(line);
  if (title) {
    // Linux says "(servers and established)", "(only servers)" or "(w/o servers)".
    const linux = /servers and established|only servers|w\/o servers/.test(title[1]!);
    return vote(linux ? "netstat-linux" : "netstat-bsd", TITLE);
  }
  const header =
    /\bProto\s+Recv-Q\s+Send-Q\s+Local\s+Address\s+Foreign\s+Address(?:\s+(\(state\)|State))?/.exec(line);
  if (header) return vote(header[1] === "(state)" ? "netstat-bsd" : "netstat-linux", HEADER);
  // BSD -A puts a pcb address (and macOS a flow hash) before the protocol.
  const row =
    /^\s*(?:[0-9a-f]{8,16}\s+)?(?:[0-9a-f]{1,8}\s+)?(tcp|udp|raw)(4|6|46)?\s+\d+\s+\d+\s+(\S+)\s+(\S+)/.exec(
      line,
    );
  if (!row) return null;
  if (row[2] === "4" || row[2] === "46") return vote("netstat-bsd", ROW);
  const style = endpointStyle(row[3]!) ?? endpointStyle(row[4]!);
  return style ? vote(style, ROW) : null;
};

/** In this order: the first rule that recognises the line speaks for it. */
const RULES: readonly Rule[] = [procNet, ss, windows, solaris, netstat];

/** The evidence one line gives, or null when it says nothing. */
export function lineVote(line: string): Vote | null {
  for (const rule of RULES) {
    const v = rule(line);
    if (v) return v;
  }
  return null;
}
