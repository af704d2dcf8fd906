/**
 * @module One-line filter errors that point at the offending token:
 *   unexpected "foo" at word 3 in filter: state close-wait foo
 * Words are echoed safely (control and format characters escaped or blanked)
 * so a hostile argument can never break the line.
 */
import { UsageError } from "../model/errors.js";
import type { Token } from "./tokens.js";

const MAX_TOKEN = 60;
const MAX_TEXT = 200;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A token quoted for a message: invisible and control characters shown as \u{..}. */
export function quote(text: string): string {
  const escaped = clip(text, MAX_TOKEN).replace(/[\p{C}"\\]/gu, (ch) =>
    ch === '"' || ch === "\\" ? `\\${ch}` : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`,
  );
  return `"${escaped}"`;
}

/** The filter as the user typed it, on one line. */
export function filterText(words: readonly string[]): string {
  const joined = words
    .map((w) => w.replace(/[\s\p{C}]+/gu, " ").trim())
    .filter((w) => w !== "")
    .join(" ");
  return clip(joined, MAX_TEXT);
}

/** "at word 3", or "at word 1, char 9" when that word held several tokens. */
export function position(token: Token): string {
  return token.shared ? `at word ${token.word}, char ${token.column}` : `at word ${token.word}`;
}

/**
 * The error for a problem at a token: "<problem> at word N in filter: <text>",
 * then "; <hint>" when there is one.
 */
export function filterError(
  words: readonly string[],
  token: Token,
  problem: string,
  hint?: string,
): UsageError {
  const text = filterText(words);
  const where = text === "" ? position(token) : `${position(token)} in filter: ${text}`;
  return new UsageError(`${problem} ${where}${hint === undefined ? "" : `; ${hint}`}`);
}
