/**
 * @module Text from outside (process names, command lines, capture text,
 * file names) made safe to print on a terminal. Any user can put escape
 * sequences in /proc/self/comm; printed raw by root's `sockdoc closewait`
 * they clear the screen, retitle the window or worse.
 *
 * What is shown instead, always printable ASCII:
 * - C0 controls, DEL and C1 controls as `\xNN` (ESC is `\x1b`, BEL `\x07`);
 * - bidi controls and line/paragraph separators, which reorder or break what
 *   is shown, as `\uNNNN` (e.g. `\u202e`).
 * A backslash already in the text is left as it is, so escaping twice changes
 * nothing (table cells are escaped, then the whole text again on its way out);
 * `--json` gives the exact text.
 */

/** Escaped in a table cell or a CSV field: every control, newlines and tabs too (a cell is one line). */
const CELL_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Escaped in running text: the same except newline and tab, which lay the text out. */
const TEXT_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

function escapeWith(pattern: RegExp, text: string): string {
  // The common case, no control at all, returns the string itself: no copy per cell.
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, visible);
}

/** Running text (a report, a warning): controls made visible; newlines and tabs kept. */
export function terminalSafe(text: string): string {
  return escapeWith(TEXT_UNSAFE, text);
}

/** One table cell or CSV field: every control made visible, newlines and tabs included. */
export function terminalSafeCell(text: string): string {
  return escapeWith(CELL_UNSAFE, text);
}
