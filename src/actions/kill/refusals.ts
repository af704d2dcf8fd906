/**
 * @module What `sockdoc kill` refuses to do without --force, decided before
 * any socket is read: no filter at all, a filter that can match LISTEN
 * sockets (closing a listener takes a service down), a filter that can match
 * ESTABLISHED sockets with no address or port term narrowing them ("exclude
 * listen", "state connected": live connections wholesale, the operator's own
 * SSH session among them), and batches above --max. Each refusal is a
 * UsageError (exit 2) whose one line says how to proceed.
 */
import { broadStates } from "../../filter/breadth.js";
import type { CompiledFilter } from "../../filter/compile.js";
import { UsageError } from "../../model/errors.js";
import { ALL_STATES_MASK, stateBit, TcpState } from "../../model/tcp-state.js";

export const DEFAULT_MAX = 1000;

/** Throws unless the filter is narrow enough to act on (or force is set). */
export function checkFilter(
  filter: Pick<CompiledFilter, "matchesAll" | "mask" | "text" | "tree">,
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
        `stops its service accepting; name the stuck state and port (e.g. state close-wait sport = :8080) or add --force`,
    );
  }
  const broad = broadStates(filter.tree);
  if ((broad & stateBit(TcpState.ESTABLISHED)) !== 0) {
    // Only listeners (and the never-listed CLOSE) left out: as broad as no filter at all.
    const allButListen = ALL_STATES_MASK & ~stateBit(TcpState.LISTEN) & ~stateBit(TcpState.CLOSE);
    const why =
      (broad & allButListen) === allButListen
        ? "leaves out only listeners: it is as broad as no filter and would close every connection on this host"
        : "can match ESTABLISHED sockets with no address or port to narrow them: it would close live connections wholesale";
    throw new UsageError(
      `refusing: filter "${filter.text}" ${why} (your own SSH session among them); ` +
        "name the stuck state and port (e.g. state close-wait sport = :8080) or add --force",
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
