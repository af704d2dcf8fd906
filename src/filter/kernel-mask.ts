/**
 * @module The kernel state mask of a filter: every state a matching socket can
 * be in, so sock_diag can drop the rest before they are copied to user space
 * (idiag_states). Sound by construction: a socket outside the mask never
 * matches; the evaluator still checks everything else.
 */
import { ALL_STATES_MASK } from "../model/tcp-state.js";
import type { FilterNode } from "./ast.js";

interface MaskInfo {
  mask: number;
  /** True when the node matches exactly the sockets whose state is in mask. */
  exact: boolean;
}

function info(n: FilterNode): MaskInfo {
  switch (n.kind) {
    case "state":
      return { mask: n.mask & ALL_STATES_MASK, exact: true };
    case "host":
    case "port":
      return { mask: ALL_STATES_MASK, exact: false };
    case "not": {
      // Only a pure state condition can be complemented; anything else may match in any state.
      const inner = info(n.operand);
      return inner.exact
        ? { mask: ALL_STATES_MASK & ~inner.mask, exact: true }
        : { mask: ALL_STATES_MASK, exact: false };
    }
    case "and":
    case "or": {
      const a = info(n.left);
      const b = info(n.right);
      const mask = n.kind === "and" ? a.mask & b.mask : a.mask | b.mask;
      return { mask, exact: a.exact && b.exact };
    }
  }
}

/** States any matching socket can be in; ALL_STATES_MASK for no filter or one without state terms. */
export function kernelStateMask(tree: FilterNode | null): number {
  return tree === null ? ALL_STATES_MASK : info(tree).mask;
}

/** Whether the filter names a state anywhere (state or exclude). */
export function hasStateTerm(tree: FilterNode | null): boolean {
  if (tree === null) return false;
  switch (tree.kind) {
    case "state":
      return true;
    case "not":
      return hasStateTerm(tree.operand);
    case "and":
    case "or":
      return hasStateTerm(tree.left) || hasStateTerm(tree.right);
    default:
      return false;
  }
}
