/**
 * @module What `sockdoc kill` refuses to do without --force, decided before
 * any socket is touched: no filter at all, a filter that can match LISTEN
 * sockets (closing a listener takes a service down), and batches above --max.
 * Each refusal is a UsageError (exit 2) whose one line says how to proceed.
 */
import type { CompiledFilter } from "../../filter/compile.js";
import { UsageError } from "../../model/errors.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";

export const DEFAULT_MAX = 1000;

/** Throws unless the filter is narrow enough to act on (or force is set). */
export function checkFilter(
  filter: Pick<CompiledFilter, "matchesAll" | "mask" | "text">,
  force: boolean,
): void {
  if (force) return;
  if (filter.matchesAll) {
    throw new UsageError(
      "refusing to kill without a filter: it would close every TCP socket on this host; " +
        "give one (e.g. state close-wait sport = :8080) or add --force",
    );
  }
  // The kernel mask is sound: if LISTEN's bit is clear, no listener can match.
  if ((filter.mask & stateBit(TcpState.LISTEN)) !== 0) {
    throw new UsageError(
      `refusing: filter "${filter.text}" can match LISTEN sockets, and closing a listener ` +
        `stops its service accepting; add a state (e.g. "state close-wait" or "exclude listen") or --force`,
    );
  }
}

/** Throws when more sockets matched than --max allows (unless force). */
export function checkBatch(matched: number, max: number, force: boolean): void {
  if (force || matched <= max) return;
  throw new UsageError(
    `refusing: ${matched} sockets match, more than --max ${max}; narrow the filter, raise --max, or add --force`,
  );
}

/** --max N: a whole number of at least 1. */
export function parseMax(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX;
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--max wants a whole number of at least 1, not "${text}"`);
  }
  return n;
}
