/**
 * @module A capture file or stdin read as a stream: the first lines are read
 * ahead to tell the format (header-less greps are told from their rows),
 * then netstat (Linux) and ss captures, the ones that grow to a million
 * rows, are parsed a line at a time as the inspection asks for their
 * sockets, each socket handed on as its row is read and none kept here.
 * Other formats (BSD, Solaris and Windows netstat, /proc/net/tcp) are read
 * whole, as before.
 */
import { InputError } from "../model/errors.js";
import type { HostFacts, SourceInfo } from "../model/snapshot.js";
import type { TcpSocket } from "../model/socket.js";
import { AddressCheck } from "./address-check.js";
import type { CaptureFormat } from "./capture.js";
import { CaptureLines } from "./capture-lines.js";
import { type CaptureSource, UNKNOWN_CAPTURE_HOST } from "./capture-source.js";
import { DETECT_LINES, detectCaptureFormat } from "./detect.js";
import { MAX_TEXT_BYTES } from "./input-limit.js";
import { NetstatLinuxReader } from "./netstat-linux.js";
import { finishSs, ssOwnersKnown, SsReader, wildcardFamily } from "./ss.js";

/** Why a capture's first lines are no capture: empty, or no known tool's output. */
export function unknownFormat(text: string, shown: string): InputError {
  const why = text.trim() === "" ? `${shown} is empty` : `cannot tell what tool printed ${shown}`;
  return new InputError(`${why}: expected netstat, ss or /proc/net/tcp output`);
}

/** A line reader for one streamed format; finish says what the whole capture told. */
interface LineReader {
  line(line: string, lineNo: number): void;
  finish(): { warnings: string[]; ownersKnown: boolean };
}

function readerFor(
  format: CaptureFormat,
  shown: string,
  head: readonly string[],
  emit: (s: TcpSocket) => void,
): LineReader {
  if (format === "netstat-linux") return new NetstatLinuxReader(shown, emit, undefined, head);
  // Read ahead, the head tells what "*" stands for and whether ss ran with -p.
  const headText = head.join("\n");
  const headUsers = headText.includes("users:(");
  const reader = new SsReader(shown, wildcardFamily(headText), undefined, (s) => {
    if (headUsers || reader.sawUsers) ssOwnersKnown(s);
    emit(s);
  });
  return { line: (l, n) => reader.line(l, n), finish: () => finishSs(reader, shown) };
}

class StreamedCapture implements CaptureSource {
  readonly host: HostFacts = { hostname: UNKNOWN_CAPTURE_HOST, kernel: null, sysctls: {} };
  readonly source: SourceInfo;
  ownersResolved = false;
  warnings: string[] = [];
  private used = false;

  constructor(
    private readonly lines: CaptureLines,
    private head: string[],
    private readonly format: CaptureFormat,
    private readonly shown: string,
    readonly takenAt: number,
    private readonly reopen: (() => CaptureSource) | null,
  ) {
    this.source = { kind: "capture", detail: `capture: ${shown} (${format})` };
  }

  get rereadable(): boolean {
    return this.reopen !== null;
  }

  eachSocket(visit: (s: TcpSocket) => void): void {
    if (this.used) {
      // A file can be read again; stdin was read once.
      if (this.reopen === null) throw new InputError(`${this.shown} was read already`);
      const again = this.reopen();
      again.eachSocket(visit);
      this.ownersResolved = again.ownersResolved;
      this.warnings = [...again.warnings];
      return;
    }
    this.used = true;
    const check = new AddressCheck();
    const reader = readerFor(this.format, this.shown, this.head, (s) => {
      check.add(s);
      visit(s);
    });
    try {
      let lineNo = 0;
      for (const line of this.head) reader.line(line, ++lineNo);
      this.head = [];
      for (let line = this.lines.next(); line !== null; line = this.lines.next()) reader.line(line, ++lineNo);
    } finally {
      this.lines.close();
    }
    const end = reader.finish();
    const odd = check.warning(this.shown);
    if (odd !== null) end.warnings.push(odd);
    this.warnings = end.warnings;
    this.ownersResolved = end.ownersKnown;
  }
}

/** Formats parsed a line at a time; the others are read whole. */
const STREAMED: ReadonlySet<CaptureFormat> = new Set(["netstat-linux", "ss"]);

/**
 * Opens a capture file ("-" = stdin) and tells its format from its first
 * lines; whole (a Snapshot's sockets) for the formats that are not streamed.
 * whole: the Snapshot of a text, for those. InputError (one line) as a whole
 * read would give: unreadable, binary, over limit bytes, no known format.
 */
export function openCaptureStream(
  path: string,
  shown: string,
  limit: number,
  takenAt: number,
  whole: (text: string) => CaptureSource,
): CaptureSource {
  const lines = CaptureLines.open(path, shown, limit);
  try {
    const head: string[] = [];
    while (head.length < DETECT_LINES) {
      const line = lines.next();
      if (line === null) break;
      head.push(line);
    }
    const format = detectCaptureFormat(head.join("\n"));
    if (format === null) throw unknownFormat(head.join("\n"), shown);
    if (STREAMED.has(format)) {
      const reopen = path === "-" ? null : () => openCaptureStream(path, shown, limit, takenAt, whole);
      return new StreamedCapture(lines, head, format, shown, takenAt, reopen);
    }
    // Parsed as one text: no longer than V8's longest string.
    lines.limitTo(MAX_TEXT_BYTES, MAX_TEXT_BYTES);
    for (let line = lines.next(); line !== null; line = lines.next()) head.push(line);
    lines.close();
    return whole(head.join("\n"));
  } catch (err) {
    lines.close();
    throw err;
  }
}
