/**
 * @module The filter's syntax tree and its canonical text. The text is what
 * sockdoc shows back (JSON "filter" fields, messages): every operator
 * explicit, so the reading sockdoc chose is visible, and it parses back to
 * the same tree.
 */
import { ipv4FromBytes, ipv6FromBytes } from "../model/endpoint.js";
import type { Prefix } from "./address.js";
import type { CmpOp } from "./tokens.js";

/** A run of state/exclude words, already folded into one mask (ss semantics). */
export interface StateNode {
  kind: "state";
  mask: number;
  /** The words as given, lower-cased: ["state", "estab", "exclude", "listen"]. */
  words: string[];
}

/** src (local) or dst (remote) address pattern; null parts match anything. */
export interface HostNode {
  kind: "host";
  side: "src" | "dst";
  prefix: Prefix | null;
  port: number | null;
  /** A host name as a capture printed it (lower case); matches no live socket. */
  name?: string;
}

/** sport (local port) or dport (remote port) compared with a number. */
export interface PortNode {
  kind: "port";
  side: "sport" | "dport";
  op: CmpOp;
  port: number;
}

export interface BinaryNode {
  kind: "and" | "or";
  left: FilterNode;
  right: FilterNode;
}

export interface NotNode {
  kind: "not";
  operand: FilterNode;
}

export type FilterNode = StateNode | HostNode | PortNode | BinaryNode | NotNode;

const OP_TEXT: Record<CmpOp, string> = { eq: "=", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };

function prefixText(p: Prefix): string {
  const bytes = new Uint8Array(16);
  if (p.family === 4) {
    new DataView(bytes.buffer).setUint32(0, p.addr);
    return p.bits === 32 ? ipv4FromBytes(bytes) : `${ipv4FromBytes(bytes)}/${p.bits}`;
  }
  const view = new DataView(bytes.buffer);
  p.words.forEach((w, i) => {
    view.setUint32(4 * i, w);
  });
  const text = ipv6FromBytes(bytes);
  return p.bits === 128 ? `[${text}]` : `[${text}/${p.bits}]`;
}

function hostText(n: HostNode): string {
  const addr = n.name ?? (n.prefix === null ? "*" : prefixText(n.prefix));
  if (n.port === null) return addr;
  return `${addr === "*" ? "" : addr}:${n.port}`;
}

/** Operands of and/or/not that are themselves and/or need parentheses on the right. */
function operand(n: FilterNode): string {
  return n.kind === "and" || n.kind === "or" ? `( ${renderFilter(n)} )` : renderFilter(n);
}

/**
 * Canonical text. and/or read left to right with equal precedence (as ss
 * does), so only a right-hand and/or operand needs parentheses.
 */
export function renderFilter(n: FilterNode): string {
  switch (n.kind) {
    case "state":
      return n.words.join(" ");
    case "host":
      return `${n.side} ${hostText(n)}`;
    case "port":
      return `${n.side} ${OP_TEXT[n.op]} :${n.port}`;
    case "not":
      return `not ${operand(n.operand)}`;
    case "and":
    case "or":
      return `${renderFilter(n.left)} ${n.kind} ${operand(n.right)}`;
  }
}
