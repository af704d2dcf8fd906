/**
 * @module What the settings of the usual TIME_WAIT advice really do (the
 * RHEL article's "tcp_tw_recycle = 1, tcp_tw_reuse = 1", and
 * tcp_fin_timeout next to them): the one text `tune lint` puts at a config
 * line and `tune advise` gives for a config line or a running value.
 * tcp_tw_recycle's texts are the removed-key ones (lint/removed-keys.ts,
 * rules/tw-recycle.ts). Pure.
 */
import { kernelAtLeast } from "../../sources/kernel.js";

export const TW_REUSE = "net.ipv4.tcp_tw_reuse";
export const FIN_TIMEOUT = "net.ipv4.tcp_fin_timeout";

/** The settings explained, and the values the kernel takes for each (others are bad-values' finding). */
export const EXPLAINED: ReadonlyMap<string, RegExp> = new Map([
  [TW_REUSE, /^[012]$/],
  [FIN_TIMEOUT, /^\d{1,9}$/],
]);

/** tcp_fin_timeout's default, in seconds. */
export const FIN_TIMEOUT_DEFAULT = 60;

/** tcp_tw_reuse's default on a kernel: 2 (loopback only) since 4.18, 0 before; 2 when unknown. */
export function twReuseDefault(kernel: string | null): string {
  return kernel === null || kernelAtLeast(kernel, "4.18") ? "2" : "0";
}

/** What tcp_tw_reuse = value does on this kernel, and what it does not. timestamps: tcp_timestamps' running value. */
export function twReuseText(value: string, kernel: string | null, timestamps: string | undefined): string {
  const needs =
    timestamps === "0"
      ? "it needs TCP timestamps, and this kernel runs net.ipv4.tcp_timestamps = 0, so it does nothing here"
      : "it needs TCP timestamps (net.ipv4.tcp_timestamps, on by default)";
  const dflt =
    twReuseDefault(kernel) === "2"
      ? "the default has been 2 (loopback connections only) since Linux 4.18"
      : "the default on this kernel is 0 (2, loopback only, came in Linux 4.18)";
  const what =
    value === "0"
      ? "turns TIME_WAIT reuse off for outgoing connections, loopback included"
      : value === "2"
        ? "lets new outgoing connections to loopback reuse a TIME_WAIT 4-tuple"
        : "lets new outgoing connections (connect()) reuse a TIME_WAIT 4-tuple once it is over 1 s old";
  return (
    `${TW_REUSE} = ${value} ${what}; ${needs}; ${dflt}. It has no effect on TIME_WAIT on the server ` +
    "side (connections this host accepted): those come from the side that closes first"
  );
}

/** What tcp_fin_timeout sets: the FIN_WAIT_2 orphan timeout, not the TIME_WAIT length. */
export function finTimeoutText(value: string): string {
  return (
    `${FIN_TIMEOUT} = ${value} is how long an orphaned socket (closed by its application) may wait in ` +
    `FIN_WAIT_2 for the peer's FIN (default ${FIN_TIMEOUT_DEFAULT} s); it does not change the TIME_WAIT ` +
    "length, which is 60 s and not tunable in mainline Linux, nor CLOSE_WAIT, which waits for the " +
    "application to close()"
  );
}

/** The explanation of key = value, or null for a key not explained here or a value the kernel refuses. */
export function explainSetting(
  key: string,
  value: string,
  kernel: string | null,
  running: Readonly<Record<string, string>>,
): string | null {
  const v = value.trim();
  if (!(EXPLAINED.get(key)?.test(v) ?? false)) return null;
  return key === TW_REUSE ? twReuseText(v, kernel, running["net.ipv4.tcp_timestamps"]) : finTimeoutText(v);
}
