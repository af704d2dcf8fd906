/**
 * @module Windows netstat captures: `netstat -an`, `-ano` (PID column),
 * `-anb` / `-anob` / `-anbv` (lines under a row name its service, modules and
 * "[program.exe]"). CRLF, a leading blank line and bracketed IPv6
 * ("[::]:135", "[fe80::1%9]:1900") are the norm. LISTENING maps to LISTEN.
 * Pure.
 */
import type { Owner, TcpSocket } from "../model/socket.js";
import type { CaptureParser } from "./capture.js";
import { splitColonEndpoint } from "./endpoint-text.js";
import { RowLog, captureLines, countOf, fieldsOf, quote, readCore, tcpSocket } from "./netstat-rows.js";

/** Windows XP printed TCPv6 on some systems; later ones say TCP for both families. */
const TCP_PROTOS = new Set(["TCP", "TCPv6"]);

/** Protos of rows that end a -b record without being kept. */
const OTHER_PROTOS = new Set(["UDP", "UDPv6"]);

/** -b: the program line under a row, e.g. " [svchost.exe]". */
const PROGRAM_LINE = /^\[(.+)\]$/;

export const parseNetstatWindows: CaptureParser = (text, origin, services) => {
  const log = new RowLog(origin, "Windows netstat");
  const sockets: TcpSocket[] = [];
  let pidColumn: boolean | null = null;
  let ownersKnown = false;
  /** The socket whose -b record is being read; its program line names its owner. */
  let current: TcpSocket | null = null;
  const lines = captureLines(text);
  for (let i = 0; i < lines.length; i++) {
    const f = fieldsOf(lines[i]!);
    if (f.length === 0) continue;
    if (f[0] === "Proto") {
      // Localised headers still say Proto and PID.
      pidColumn = f.includes("PID");
      if (pidColumn) ownersKnown = true;
      current = null;
      continue;
    }
    if (OTHER_PROTOS.has(f[0]!)) {
      current = null;
      continue;
    }
    if (!TCP_PROTOS.has(f[0]!)) {
      // -b: service name, module paths, "Can not obtain ownership information", then [program].
      const program = PROGRAM_LINE.exec(lines[i]!.trim());
      if (program && current?.owners?.length === 1 && current.owners[0]!.comm === "?") {
        current.owners[0]!.comm = program[1]!;
      }
      continue;
    }
    log.row();
    current = null;
    const core = readCore(f[1], f[2], f[3], (t) => splitColonEndpoint(t, services), 4);
    if (typeof core === "string") {
      log.skip(i + 1, core);
      continue;
    }
    let owners: Owner[] | null = null;
    // Without a header, a fifth numeric field is the PID.
    if (pidColumn ?? countOf(f[4]) !== null) {
      const pid = countOf(f[4]);
      if (pid === null) {
        log.skip(i + 1, `bad PID ${quote(f[4] ?? "")}`);
        continue;
      }
      ownersKnown = true;
      // PID 0 is the System Idle Process: what Windows shows for TIME_WAIT and other ownerless sockets.
      owners = pid === 0 ? [] : [{ pid, comm: "?", fd: null }];
    }
    current = tcpSocket(core, { owners });
    sockets.push(current);
  }
  return log.finish(sockets, ownersKnown);
};
