/**
 * @module Tokenizer for the filter language: turns the command-line words into
 * tokens, each remembering the word (and column) it came from so errors can
 * point at it. A word may hold several tokens ('( dport = :ssh )' quoted as one
 * word, or attached forms such as 'sport>=:1024').
 */

export type CmpOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export type TokenKind = "word" | "(" | ")" | "and" | "or" | "not" | "cmp";

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** For kind "cmp": which comparison. */
  op?: CmpOp;
  /** 1-based index of the command-line word the token came from. */
  word: number;
  /** 1-based column inside that word. */
  column: number;
  /** Whether that word produced more than one token (then the column is worth showing). */
  shared: boolean;
}

/** Operator spellings (ss's, plus geq/leq which ss also takes). Looked up case-insensitively. */
const OPERATORS = new Map<string, { kind: TokenKind; op?: CmpOp }>([
  ["&", { kind: "and" }],
  ["&&", { kind: "and" }],
  ["and", { kind: "and" }],
  ["|", { kind: "or" }],
  ["||", { kind: "or" }],
  ["or", { kind: "or" }],
  ["!", { kind: "not" }],
  ["not", { kind: "not" }],
  ["=", { kind: "cmp", op: "eq" }],
  ["==", { kind: "cmp", op: "eq" }],
  ["eq", { kind: "cmp", op: "eq" }],
  ["!=", { kind: "cmp", op: "ne" }],
  ["ne", { kind: "cmp", op: "ne" }],
  ["neq", { kind: "cmp", op: "ne" }],
  ["<", { kind: "cmp", op: "lt" }],
  ["lt", { kind: "cmp", op: "lt" }],
  ["<=", { kind: "cmp", op: "le" }],
  ["le", { kind: "cmp", op: "le" }],
  ["leq", { kind: "cmp", op: "le" }],
  [">", { kind: "cmp", op: "gt" }],
  ["gt", { kind: "cmp", op: "gt" }],
  [">=", { kind: "cmp", op: "ge" }],
  ["ge", { kind: "cmp", op: "ge" }],
  ["geq", { kind: "cmp", op: "ge" }],
]);

/** Characters that start a symbolic operator; they split a word even without spaces. */
const SYMBOLS = "=!<>&|";
const PAIRS = new Set(["==", "!=", "<=", ">=", "&&", "||"]);

/** Splits one word into raw pieces with their 0-based offsets. */
function pieces(word: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) out.push([word.slice(start, end), start]);
    start = -1;
  };
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    if (/\s/u.test(ch)) {
      flush(i);
    } else if (ch === "(" || ch === ")") {
      flush(i);
      out.push([ch, i]);
    } else if (SYMBOLS.includes(ch)) {
      flush(i);
      const pair = word.slice(i, i + 2);
      const len = PAIRS.has(pair) ? 2 : 1;
      out.push([word.slice(i, i + len), i]);
      i += len - 1;
    } else if (start < 0) {
      start = i;
    }
  }
  flush(word.length);
  return out;
}

/** Tokens of all words, in order. Never throws: unknown words are left for the parser to reject. */
export function tokenize(words: readonly string[]): Token[] {
  const tokens: Token[] = [];
  words.forEach((word, index) => {
    const parts = pieces(word);
    for (const [text, offset] of parts) {
      const base = { text, word: index + 1, column: offset + 1, shared: parts.length > 1 };
      if (text === "(" || text === ")") {
        tokens.push({ kind: text, ...base });
        continue;
      }
      const operator = OPERATORS.get(text.toLowerCase());
      if (operator === undefined) tokens.push({ kind: "word", ...base });
      else if (operator.op === undefined) tokens.push({ kind: operator.kind, ...base });
      else tokens.push({ kind: operator.kind, op: operator.op, ...base });
    }
  });
  return tokens;
}
