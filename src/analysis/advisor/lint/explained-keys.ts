/**
 * @module Lint: the settings that come with the usual TIME_WAIT advice
 * (the RHEL article's "tcp_tw_recycle = 1, tcp_tw_reuse = 1", and
 * tcp_fin_timeout next to them), each answered at its line with what it
 * really does on this kernel. tcp_tw_recycle is removed-keys.ts's job.
 * Info only: the lines are legal; what they are believed to do is not.
 */
import { kernelAtLeast } from "../../../sources/kernel.js";
import { assignmentPlace, type LintFinding, type LintInput } from "./types.js";

const TW_REUSE = "net.ipv4.tcp_tw_reuse";
const FIN_TIMEOUT = "net.ipv4.tcp_fin_timeout";
const TIMESTAMPS = "net.ipv4.tcp_timestamps";

/** What tcp_tw_reuse = value does, and what it does not. */
function twReuseMessage(value: string, input: LintInput): string {
  const timestamps = input.running[TIMESTAMPS];
  const needs =
    timestamps === "0"
      ? "it needs TCP timestamps, and this kernel runs net.ipv4.tcp_timestamps = 0, so it does nothing here"
      : "it needs TCP timestamps (net.ipv4.tcp_timestamps, on by default)";
  // Linux 4.18 made 2 (loopback only) the default; before that it was 0.
  const since418 = input.kernel === null || kernelAtLeast(input.kernel, "4.18");
  const dflt = since418
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
function finTimeoutMessage(value: string): string {
  return (
    `${FIN_TIMEOUT} = ${value} is how long an orphaned socket (closed by its application) may wait in ` +
    "FIN_WAIT_2 for the peer's FIN (default 60 s); it does not change the TIME_WAIT length, which is " +
    "60 s and not tunable in mainline Linux, nor CLOSE_WAIT, which waits for the application to close()"
  );
}

/**
 * One finding per key, at the assignment that wins (the last loaded): the
 * earlier ones are "overridden" findings already, and a file read twice
 * through a link is explained once.
 */
export function explainedKeysRule(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const winners = new Map(input.assignments.map((a) => [a.key, a]));
  for (const a of winners.values()) {
    const value = a.value.trim();
    let message: string | null = null;
    // A value the kernel refuses is bad-values.ts's finding: nothing to explain.
    if (a.key === TW_REUSE && /^[012]$/.test(value)) message = twReuseMessage(value, input);
    else if (a.key === FIN_TIMEOUT && /^\d{1,9}$/.test(value)) message = finTimeoutMessage(value);
    if (message !== null)
      findings.push({ id: "explained", severity: "info", ...assignmentPlace(a), message });
  }
  return findings;
}
