/**
 * @module TCP state words as the capture tools print them, mapped to the
 * kernel's states: net-tools netstat (FIN_WAIT1), BSD and macOS netstat
 * (SYN_RCVD, CLOSED), Solaris (SYN_RECEIVED, BOUND, IDLE), Windows
 * (LISTENING, FIN_WAIT_2) and ss (ESTAB, TIME-WAIT, UNCONN). Pure.
 */
import { TcpState } from "../model/tcp-state.js";

const WORDS: Record<string, TcpState> = {
  ESTABLISHED: TcpState.ESTABLISHED,
  ESTAB: TcpState.ESTABLISHED,
  SYN_SENT: TcpState.SYN_SENT,
  "SYN-SENT": TcpState.SYN_SENT,
  SYN_RECV: TcpState.SYN_RECV,
  "SYN-RECV": TcpState.SYN_RECV,
  SYN_RCVD: TcpState.SYN_RECV,
  SYN_RECEIVED: TcpState.SYN_RECV,
  FIN_WAIT1: TcpState.FIN_WAIT1,
  FIN_WAIT_1: TcpState.FIN_WAIT1,
  "FIN-WAIT-1": TcpState.FIN_WAIT1,
  FIN_WAIT2: TcpState.FIN_WAIT2,
  FIN_WAIT_2: TcpState.FIN_WAIT2,
  "FIN-WAIT-2": TcpState.FIN_WAIT2,
  TIME_WAIT: TcpState.TIME_WAIT,
  "TIME-WAIT": TcpState.TIME_WAIT,
  CLOSE: TcpState.CLOSE,
  CLOSED: TcpState.CLOSE,
  // ss prints a TCP socket in CLOSE (bound or just created) as UNCONN.
  UNCONN: TcpState.CLOSE,
  // Windows: a connection being torn down.
  DELETE_TCB: TcpState.CLOSE,
  // Solaris: a socket bound but not listening or connected, and one not even bound.
  BOUND: TcpState.CLOSE,
  IDLE: TcpState.CLOSE,
  CLOSE_WAIT: TcpState.CLOSE_WAIT,
  "CLOSE-WAIT": TcpState.CLOSE_WAIT,
  LAST_ACK: TcpState.LAST_ACK,
  "LAST-ACK": TcpState.LAST_ACK,
  LISTEN: TcpState.LISTEN,
  LISTENING: TcpState.LISTEN,
  CLOSING: TcpState.CLOSING,
};

/** The state a capture's word names (case-insensitive), or undefined when it names none. */
export function captureState(word: string): TcpState | undefined {
  const key = word.toUpperCase();
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}
