/**
 * @module What every parser of captured text returns. A capture is the
 * printed output of a tool run elsewhere (netstat, ss, /proc/net/tcp); its
 * parser is pure (text in, sockets out) and keeps TCP sockets only.
 */
import type { TcpSocket } from "../model/socket.js";
import type { ServiceTable } from "../model/service-names.js";

export type CaptureFormat =
  | "netstat-linux"
  | "netstat-bsd"
  | "netstat-solaris"
  | "netstat-windows"
  | "ss"
  | "proc-net-tcp"
  | "proc-net-tcp6";

export interface CaptureParse {
  sockets: TcpSocket[];
  /** One line each: a row skipped (origin:line and why), a column missing. */
  warnings: string[];
  /**
   * True when the capture has a process column (netstat -p, ss -p, Windows
   * -o): then a socket's owners are [] when the row names none (TIME_WAIT
   * stays null: nothing can hold it). False: every socket's owners are null
   * (the capture cannot say).
   */
  ownersKnown: boolean;
}

/**
 * origin names the capture in warnings and errors (a file name, "stdin");
 * services turns printed service names into ports (default: the shipped table).
 */
export type CaptureParser = (text: string, origin: string, services?: ServiceTable) => CaptureParse;
