/**
 * @module The filter language's one entry point: command-line words in, a
 * kernel state mask and a socket predicate out. The pieces live beside it:
 * tokens.ts -> parser.ts (tree in ast.ts) -> evaluate.ts and kernel-mask.ts.
 */
import type { TcpSocket } from "../model/socket.js";
import { type FilterNode, renderFilter } from "./ast.js";
import { compileNode } from "./evaluate.js";
import { hasStateTerm, kernelStateMask } from "./kernel-mask.js";
import { FilterParser } from "./parser.js";
import { tokenize } from "./tokens.js";

export interface CompiledFilter {
  /** Kernel idiag_states mask: every state a matching socket can be in. */
  mask: number;
  /** True when the socket matches the whole filter (state terms included). */
  matches: (socket: TcpSocket) => boolean;
  /** The filter names a state (callers pick their default states otherwise, as ss does). */
  hasStateTerm: boolean;
  /** Canonical text of the filter ("" when empty), every operator explicit. */
  text: string;
  /** The filter is empty: every socket matches. */
  matchesAll: boolean;
  /**
   * The filter is made of state terms only, so the kernel mask decides it
   * exactly and no socket needs to be checked in user space.
   */
  statesOnly: boolean;
  /** The syntax tree (null when empty), for a later kernel bytecode compiler. */
  tree: FilterNode | null;
}

/**
 * Parses and compiles a filter given as command-line words, e.g.
 * ["state", "close-wait", "dport", "=", ":443"] or ["( dport = :ssh or sport = :22 )"].
 * Throws UsageError (one line, pointing at the token) on any bad input.
 */
export function compileFilter(words: readonly string[]): CompiledFilter {
  const tree = new FilterParser(words, tokenize(words)).parse();
  return {
    mask: kernelStateMask(tree),
    matches: tree === null ? () => true : compileNode(tree),
    hasStateTerm: hasStateTerm(tree),
    text: tree === null ? "" : renderFilter(tree),
    matchesAll: tree === null,
    statesOnly: tree === null || onlyStates(tree),
    tree,
  };
}

function onlyStates(node: FilterNode): boolean {
  if (node.kind === "state") return true;
  if (node.kind === "not") return onlyStates(node.operand);
  if (node.kind === "and" || node.kind === "or") return onlyStates(node.left) && onlyStates(node.right);
  return false;
}
