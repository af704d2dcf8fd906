/**
 * @module Parser: tokens -> syntax tree, following ss (iproute2 misc/ssfilter.y):
 *
 *   filter   := [state-run] [expr]      a leading state run ANDs with all of expr
 *   expr     := unary ( [and|or] unary )*   left to right, and/or equal precedence
 *   unary    := not unary | primary
 *   primary  := ( expr ) | state-run | src|dst [=|!=] ADDR | sport|dport [OP] PORT
 *   state-run:= ( state WORD | exclude WORD )+   one mask: first "state" starts
 *               from none, first "exclude" from all; state adds, exclude removes
 *
 * Like ss, "a or b and c" is "(a or b) and c" (ss has no precedence between
 * and and or), and "state close-wait dport = :1 or dport = :2" keeps the state
 * for both ports (ss treats leading state words as a separate filter).
 */
import { ALL_STATES_MASK, parseStateWord, stateWords } from "../model/tcp-state.js";
import type { FilterNode, HostNode, PortNode, StateNode } from "./ast.js";
import { filterError, quote } from "./filter-error.js";
import { type Parsed, parseHostPattern, parsePortOperand } from "./host-pattern.js";
import type { Token } from "./tokens.js";

const STATE_KEYWORDS = new Set(["state", "exclude", "excl"]);
/** ss filter keywords sockdoc's model has no data for. */
const UNSUPPORTED = new Set(["dev", "fwmark", "cgroup", "autobound"]);
const CONDITIONS = 'expected a condition (state, exclude, src, dst, sport, dport, not or "(")';

/** Limits that keep every input far from the stack limit (trees are walked recursively). */
export const MAX_TOKENS = 1000;
const MAX_DEPTH = 100;

const keyword = (t: Token | undefined): string => (t?.kind === "word" ? t.text.toLowerCase() : "");

export class FilterParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly words: readonly string[],
    private readonly tokens: readonly Token[],
  ) {}

  /** The whole filter; null when there are no tokens at all. */
  parse(): FilterNode | null {
    if (this.tokens.length === 0) return null;
    const last = this.tokens[MAX_TOKENS];
    if (last !== undefined) throw this.error(last, `filter too long (more than ${MAX_TOKENS} tokens)`);
    let node: FilterNode;
    if (STATE_KEYWORDS.has(keyword(this.peek()))) {
      const states = this.stateRun();
      const next = this.peek();
      if (next === undefined || next.kind === ")") node = states;
      else if (next.kind === "and" || next.kind === "or") node = this.rest(states);
      // ss syntax: state words, then an expression they apply to as a whole.
      else node = { kind: "and", left: states, right: this.expr() };
    } else {
      node = this.expr();
    }
    const extra = this.peek();
    if (extra !== undefined) throw this.error(extra, `unmatched ${quote(extra.text)}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private error(token: Token, problem: string, hint?: string) {
    return filterError(this.words, token, problem, hint);
  }

  private expr(): FilterNode {
    return this.rest(this.unary());
  }

  /** Continues an expression whose first operand is already parsed. */
  private rest(first: FilterNode): FilterNode {
    let left = first;
    for (let t = this.peek(); t !== undefined && t.kind !== ")"; t = this.peek()) {
      let kind: "and" | "or" = "and";
      if (t.kind === "and" || t.kind === "or") {
        kind = t.kind;
        this.pos++;
        const operand = this.peek();
        if (operand === undefined || operand.kind === ")") {
          throw this.error(t, `missing condition after ${quote(t.text)}`);
        }
      }
      left = { kind, left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    const t = this.peek();
    if (t?.kind !== "not") return this.primary();
    this.pos++;
    if (this.peek() === undefined) throw this.error(t, `missing condition after ${quote(t.text)}`);
    return { kind: "not", operand: this.nested(t, () => this.unary()) };
  }

  /** Bounds recursion so no input can overflow the stack. */
  private nested<T>(t: Token, parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw this.error(t, `nested deeper than ${MAX_DEPTH} levels`);
    const result = parse();
    this.depth--;
    return result;
  }

  private primary(): FilterNode {
    const t = this.next();
    if (t === undefined) throw new Error("parser called past the end");
    if (t.kind === "(") return this.group(t);
    if (t.kind !== "word") throw this.error(t, `unexpected ${quote(t.text)}`, CONDITIONS);
    const word = keyword(t);
    if (STATE_KEYWORDS.has(word)) {
      this.pos--;
      return this.stateRun();
    }
    if (word === "src" || word === "dst") return this.host(t, word);
    if (word === "sport" || word === "dport") return this.port(t, word);
    if (UNSUPPORTED.has(word))
      throw this.error(t, `the ss filter ${quote(t.text)} is not supported by sockdoc`);
    throw this.error(t, `unexpected ${quote(t.text)}`, CONDITIONS);
  }

  private group(open: Token): FilterNode {
    const first = this.peek();
    if (first === undefined) throw this.error(open, 'unclosed "("');
    if (first.kind === ")") throw this.error(open, 'empty "( )"');
    const inner = this.nested(open, () => this.expr());
    if (this.next() === undefined) throw this.error(open, 'unclosed "("');
    return inner;
  }

  /** Consecutive state/exclude words folded into one mask, as ss does. */
  private stateRun(): StateNode {
    let mask = 0;
    const words: string[] = [];
    for (let t = this.peek(); STATE_KEYWORDS.has(keyword(t)); t = this.peek()) {
      const kw = this.next() as Token;
      const value = this.operand(kw, undefined, "state name");
      const bits = parseStateWord(value.text);
      // typeof guards names such as "constructor" that a plain-object lookup may return.
      if (typeof bits !== "number") {
        throw this.error(
          value,
          `unknown state ${quote(value.text)}`,
          `expected one of: ${stateWords().join(", ")}`,
        );
      }
      const exclude = keyword(kw) !== "state";
      if (words.length === 0 && exclude) mask = ALL_STATES_MASK;
      mask = exclude ? mask & ~bits : mask | bits;
      words.push(exclude ? "exclude" : "state", value.text.toLowerCase());
    }
    return { kind: "state", mask, words };
  }

  /** The operand word after a keyword and its optional operator. */
  private operand(kw: Token, op: Token | undefined, what: string): Token {
    const value = this.next();
    const after = quote(op === undefined ? kw.text : `${kw.text} ${op.text}`);
    const hint = what === "state name" ? `expected one of: ${stateWords().join(", ")}` : undefined;
    if (value === undefined) throw this.error(op ?? kw, `missing ${what} after ${after}`, hint);
    if (value.kind !== "word")
      throw this.error(value, `expected ${what} after ${after}, got ${quote(value.text)}`, hint);
    return value;
  }

  private check<T>(token: Token, parsed: Parsed<T>): T {
    if (!parsed.ok) throw this.error(token, parsed.problem, parsed.hint);
    return parsed.value;
  }

  private host(kw: Token, side: "src" | "dst"): FilterNode {
    const op = this.peek()?.kind === "cmp" ? this.next() : undefined;
    if (op !== undefined && op.op !== "eq" && op.op !== "ne") {
      throw this.error(op, `${quote(kw.text)} compares with = or != only, not ${quote(op.text)}`);
    }
    const value = this.operand(kw, op, "address");
    const { prefix, port, name } = this.check(value, parseHostPattern(value.text));
    const node: HostNode = { kind: "host", side, prefix, port, ...(name !== undefined ? { name } : {}) };
    return op?.op === "ne" ? { kind: "not", operand: node } : node;
  }

  private port(kw: Token, side: "sport" | "dport"): PortNode {
    const op = this.peek()?.kind === "cmp" ? this.next() : undefined;
    const value = this.operand(kw, op, "port");
    return { kind: "port", side, op: op?.op ?? "eq", port: this.check(value, parsePortOperand(value.text)) };
  }
}
