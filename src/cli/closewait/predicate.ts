/**
 * @module closewait's filter words as a predicate on CLOSE_WAIT sockets;
 * a filter that can only match other states is a usage error.
 */
import { compileFilter } from "../../filter/compile.js";
import { UsageError } from "../../model/errors.js";
import type { TcpSocket } from "../../model/socket.js";
import { stateBit, TcpState } from "../../model/tcp-state.js";

const CW = stateBit(TcpState.CLOSE_WAIT);

/** undefined: every CLOSE_WAIT socket. */
export function closeWaitPredicate(words: string[]): ((s: TcpSocket) => boolean) | undefined {
  const filter = compileFilter(words);
  if (filter.hasStateTerm && (filter.mask & CW) === 0) {
    throw new UsageError(
      `closewait looks only at CLOSE_WAIT sockets; the filter "${filter.text}" excludes them`,
    );
  }
  return filter.matchesAll ? undefined : filter.matches;
}
