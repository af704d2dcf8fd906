/**
 * @module Which tool printed a capture, from its content only (DESIGN.md:
 * "Format is detected from content"), and the parser for each format.
 */
import type { Family } from "../model/endpoint.js";
import { parseProcNetTcp } from "../sources/proc-net-tcp.js";
import type { CaptureFormat, CaptureParser } from "./capture.js";
import { lineVote } from "./detect-lines.js";
import { parseNetstatBsd } from "./netstat-bsd.js";
import { parseNetstatLinux } from "./netstat-linux.js";
import { parseNetstatSolaris } from "./netstat-solaris.js";
import { parseNetstatWindows } from "./netstat-windows.js";
import { parseSs } from "./ss.js";

/** Lines looked at (and read ahead of a streamed capture): enough for any header and many rows, cheap on a 100k-row dump. */
export const DETECT_LINES = 2000;

/** Tie-break order, most specific first. */
const ORDER: readonly CaptureFormat[] = [
  "proc-net-tcp",
  "proc-net-tcp6",
  "ss",
  "netstat-windows",
  "netstat-solaris",
  "netstat-bsd",
  "netstat-linux",
];

/**
 * The format the text is in, by the weight of evidence of its lines (headers
 * count more than rows); null when no line looks like any known tool's.
 */
export function detectCaptureFormat(text: string): CaptureFormat | null {
  const score = new Map<CaptureFormat, number>();
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 0; n < DETECT_LINES && start < text.length; n++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const v = lineVote(text.slice(start, end).replace(/\r+$/, ""));
    if (v) score.set(v.format, (score.get(v.format) ?? 0) + v.weight);
    start = end + 1;
  }
  let best: CaptureFormat | null = null;
  for (const format of ORDER) {
    if ((score.get(format) ?? 0) > (best === null ? 0 : score.get(best)!)) best = format;
  }
  return best;
}

function procParser(family: Family): CaptureParser {
  return (text, origin) => ({ ...parseProcNetTcp(text, family, origin), ownersKnown: false });
}

const PARSERS: Record<CaptureFormat, CaptureParser> = {
  "netstat-linux": parseNetstatLinux,
  "netstat-bsd": parseNetstatBsd,
  "netstat-solaris": parseNetstatSolaris,
  "netstat-windows": parseNetstatWindows,
  ss: parseSs,
  "proc-net-tcp": procParser(4),
  "proc-net-tcp6": procParser(6),
};

/** The parser for a detected format. */
export function parserFor(format: CaptureFormat): CaptureParser {
  return PARSERS[format];
}
