/**
 * @module Evaluator: a syntax tree compiled once into nested closures, so the
 * per-socket cost is a few property reads and integer compares (it runs over
 * every socket of a busy host).
 */
import type { Endpoint } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import { prefixMatcher } from "./address.js";
import type { FilterNode, HostNode, PortNode } from "./ast.js";

export type SocketPredicate = (socket: TcpSocket) => boolean;

function portPredicate(n: PortNode): SocketPredicate {
  const p = n.port;
  const local = n.side === "sport";
  switch (n.op) {
    case "eq":
      return local ? (s) => s.local.port === p : (s) => s.remote.port === p;
    case "ne":
      return local ? (s) => s.local.port !== p : (s) => s.remote.port !== p;
    case "lt":
      return local ? (s) => s.local.port < p : (s) => s.remote.port < p;
    case "le":
      return local ? (s) => s.local.port <= p : (s) => s.remote.port <= p;
    case "gt":
      return local ? (s) => s.local.port > p : (s) => s.remote.port > p;
    case "ge":
      return local ? (s) => s.local.port >= p : (s) => s.remote.port >= p;
  }
}

function hostPredicate(n: HostNode): SocketPredicate {
  const local = n.side === "src";
  const p = n.port;
  const name = n.name;
  if (name !== undefined) {
    // Host names come only from captures printed without -n, as the endpoint's address.
    const named = (e: Endpoint) => e.address.toLowerCase() === name && (p === null || e.port === p);
    return local ? (s) => named(s.local) : (s) => named(s.remote);
  }
  if (n.prefix === null) {
    if (p === null) return () => true;
    return local ? (s) => s.local.port === p : (s) => s.remote.port === p;
  }
  const inside = prefixMatcher(n.prefix);
  if (p === null) return local ? (s) => inside(s.local.address) : (s) => inside(s.remote.address);
  // Port first: an integer compare is cheaper than parsing the address.
  return local
    ? (s) => s.local.port === p && inside(s.local.address)
    : (s) => s.remote.port === p && inside(s.remote.address);
}

/** The predicate for a tree: true when the socket matches. */
export function compileNode(n: FilterNode): SocketPredicate {
  switch (n.kind) {
    case "state": {
      const mask = n.mask;
      // States are 1..12, so the shift stays inside the 32-bit mask.
      return (s) => ((mask >>> s.state) & 1) === 1;
    }
    case "host":
      return hostPredicate(n);
    case "port":
      return portPredicate(n);
    case "not": {
      const inner = compileNode(n.operand);
      return (s) => !inner(s);
    }
    case "and": {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      return (s) => a(s) && b(s);
    }
    case "or": {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      return (s) => a(s) || b(s);
    }
  }
}
