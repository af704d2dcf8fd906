/**
 * @module How broad a filter is, read from its syntax tree: in which states
 * it can match sockets that no address or port term narrows down. `kill`
 * uses it to refuse filters like "exclude listen" or "state established",
 * which would close live connections wholesale. Pure, and conservative: when
 * in doubt a state counts as broad (a refusal costs a --force; a wrong
 * acceptance costs someone's SSH session).
 */
import { ALL_STATES_MASK } from "../model/tcp-state.js";
import type { FilterNode, HostNode, PortNode } from "./ast.js";

/**
 * Read over a "generic" socket, one that no narrowing term matches (its
 * ports and addresses are none the filter names): state terms are then
 * exactly true or false, narrowing terms false, the other terms unknown.
 */
interface Breadth {
  /** States in which the node may be true for a generic socket: it can match them un-narrowed. */
  broad: number;
  /** States in which the node is surely true for a generic socket (what a "not" turns into not broad). */
  every: number;
}

/**
 * A term that pins sockets down: an exact port (=), a host with a port, or
 * an address prefix of at least one bit. "!=", "<", ">" and "*" or /0
 * match (nearly) every socket, so they narrow nothing.
 */
export function isNarrowingTerm(n: HostNode | PortNode): boolean {
  if (n.kind === "port") return n.op === "eq";
  return n.port !== null || n.name !== undefined || (n.prefix !== null && n.prefix.bits > 0);
}

function breadth(n: FilterNode): Breadth {
  switch (n.kind) {
    case "state": {
      const mask = n.mask & ALL_STATES_MASK;
      return { broad: mask, every: mask };
    }
    case "host":
    case "port":
      // Unknown for the others ("src *" is in fact always true: calling it unknown only makes a "not" broader).
      return { broad: isNarrowingTerm(n) ? 0 : ALL_STATES_MASK, every: 0 };
    case "not": {
      // not X may be true where X is not surely true, and is surely true where X cannot be.
      const inner = breadth(n.operand);
      return { broad: ALL_STATES_MASK & ~inner.every, every: ALL_STATES_MASK & ~inner.broad };
    }
    case "and": {
      const a = breadth(n.left);
      const b = breadth(n.right);
      return { broad: a.broad & b.broad, every: a.every & b.every };
    }
    case "or": {
      const a = breadth(n.left);
      const b = breadth(n.right);
      return { broad: a.broad | b.broad, every: a.every | b.every };
    }
  }
}

/**
 * Kernel-style state mask of the states in which the filter can match
 * sockets with no address or port term narrowing them (every state for no
 * filter). "exclude listen" gives every state but LISTEN; "state
 * established sport = :22" gives none.
 */
export function broadStates(tree: FilterNode | null): number {
  return tree === null ? ALL_STATES_MASK : breadth(tree).broad;
}
