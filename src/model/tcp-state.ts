/**
 * @module TCP states in the kernel's numbering (include/net/tcp_states.h),
 * their canonical upper-case names, the spellings ss accepts and ss's groups.
 */

export enum TcpState {
  ESTABLISHED = 1,
  SYN_SENT = 2,
  SYN_RECV = 3,
  FIN_WAIT1 = 4,
  FIN_WAIT2 = 5,
  TIME_WAIT = 6,
  CLOSE = 7,
  CLOSE_WAIT = 8,
  LAST_ACK = 9,
  LISTEN = 10,
  CLOSING = 11,
  NEW_SYN_RECV = 12,
}

export type TcpStateName = keyof typeof TcpState;

/** States in kernel order; NEW_SYN_RECV is reported as SYN_RECV like ss does. */
export const ALL_STATES: readonly TcpState[] = [
  TcpState.ESTABLISHED,
  TcpState.SYN_SENT,
  TcpState.SYN_RECV,
  TcpState.FIN_WAIT1,
  TcpState.FIN_WAIT2,
  TcpState.TIME_WAIT,
  TcpState.CLOSE,
  TcpState.CLOSE_WAIT,
  TcpState.LAST_ACK,
  TcpState.LISTEN,
  TcpState.CLOSING,
];

const NAMES: Record<number, TcpStateName> = {};
for (const name of Object.keys(TcpState)) {
  const value = (TcpState as unknown as Record<string, unknown>)[name];
  if (typeof value === "number") NAMES[value] = name as TcpStateName;
}

/** Canonical upper-case name, e.g. "CLOSE_WAIT". Unknown numbers become "UNKNOWN_<n>". */
export function stateName(state: number): string {
  if (state === TcpState.NEW_SYN_RECV) return "SYN_RECV";
  return NAMES[state] ?? `UNKNOWN_${state}`;
}

/** Lower-case snake name for Prometheus labels, e.g. "close_wait". */
export function stateLabel(state: number): string {
  return stateName(state).toLowerCase();
}

/** ss spelling, e.g. "close-wait", "estab". */
export function stateSsName(state: number): string {
  return SS_NAMES[state] ?? stateName(state).toLowerCase().replace(/_/g, "-");
}

const SS_NAMES: Record<number, string> = {
  [TcpState.ESTABLISHED]: "estab",
  [TcpState.SYN_SENT]: "syn-sent",
  [TcpState.SYN_RECV]: "syn-recv",
  [TcpState.FIN_WAIT1]: "fin-wait-1",
  [TcpState.FIN_WAIT2]: "fin-wait-2",
  [TcpState.TIME_WAIT]: "time-wait",
  [TcpState.CLOSE]: "unconn",
  [TcpState.CLOSE_WAIT]: "close-wait",
  [TcpState.LAST_ACK]: "last-ack",
  [TcpState.LISTEN]: "listen",
  [TcpState.CLOSING]: "closing",
};

/** Bit for a state in a kernel idiag_states mask. */
export function stateBit(state: TcpState): number {
  return 1 << state;
}

/** Every state, NEW_SYN_RECV included, as the kernel's dump-all mask. */
export const ALL_STATES_MASK =
  ALL_STATES.reduce((m, s) => m | stateBit(s), 0) | stateBit(TcpState.NEW_SYN_RECV);

const SYN_RECV_BITS = stateBit(TcpState.SYN_RECV) | stateBit(TcpState.NEW_SYN_RECV);

/** ss's groups (iproute2 ss.c), as masks. */
const GROUPS: Record<string, number> = {
  all: ALL_STATES_MASK,
  connected: ALL_STATES_MASK & ~(stateBit(TcpState.LISTEN) | stateBit(TcpState.CLOSE) | SYN_RECV_BITS),
  synchronized:
    ALL_STATES_MASK &
    ~(stateBit(TcpState.LISTEN) | stateBit(TcpState.CLOSE) | SYN_RECV_BITS | stateBit(TcpState.SYN_SENT)),
  bucket: SYN_RECV_BITS | stateBit(TcpState.TIME_WAIT),
  big: ALL_STATES_MASK & ~(SYN_RECV_BITS | stateBit(TcpState.TIME_WAIT)),
};

/** Every spelling the CLI accepts for a single state, mapped to its mask. */
const SPELLINGS: Record<string, number> = {};
for (const state of ALL_STATES) {
  const bit = state === TcpState.SYN_RECV ? SYN_RECV_BITS : stateBit(state);
  const canonical = stateName(state);
  for (const spelling of [
    canonical,
    canonical.toLowerCase(),
    canonical.toLowerCase().replace(/_/g, "-"),
    stateSsName(state),
  ]) {
    SPELLINGS[spelling.toLowerCase()] = bit;
  }
}
Object.assign(SPELLINGS, {
  established: stateBit(TcpState.ESTABLISHED),
  "fin-wait1": stateBit(TcpState.FIN_WAIT1),
  "fin-wait2": stateBit(TcpState.FIN_WAIT2),
  closed: stateBit(TcpState.CLOSE),
  "syn-recv": SYN_RECV_BITS,
});

/**
 * Mask for a state name, an ss spelling or an ss group; undefined when the
 * word is not a state. Case-insensitive.
 */
export function parseStateWord(word: string): number | undefined {
  const key = word.toLowerCase();
  // Own properties only: "constructor" or "__proto__" are not states.
  if (Object.hasOwn(GROUPS, key)) return GROUPS[key];
  return Object.hasOwn(SPELLINGS, key) ? SPELLINGS[key] : undefined;
}

/** All words parseStateWord accepts, for error messages and help. */
export function stateWords(): string[] {
  return [...Object.keys(GROUPS), ...ALL_STATES.map(stateSsName)];
}

/** States whose bit is set in mask, in kernel order (NEW_SYN_RECV folded into SYN_RECV). */
export function statesInMask(mask: number): TcpState[] {
  return ALL_STATES.filter((s) => (mask & (s === TcpState.SYN_RECV ? SYN_RECV_BITS : stateBit(s))) !== 0);
}
