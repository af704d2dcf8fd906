/**
 * @module Plain text table: aligned columns, numbers right-aligned, the widest
 * text column shortened first when the table would not fit the terminal.
 */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number;
  align?: "left" | "right";
  /** Allowed to be cut (with "…") to fit the width; the widest such column is cut first. */
  shrinkable?: boolean;
}

const MIN_SHRUNK = 8;

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/**
 * Narrows the widest shrinkable column, one character at a time, until the
 * row fits: long addresses give way before a short process name does.
 */
function fitWidths<T>(widths: number[], columns: readonly Column<T>[], maxWidth: number): void {
  const floor = columns.map((c) => (c.shrinkable ? Math.max(MIN_SHRUNK, c.header.length) : Infinity));
  let total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return;
    widths[widest]!--;
    total--;
  }
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = 0): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row))));
  // A loop, not Math.max(...cells): spreading 100k+ rows overflows the call stack.
  const widths = columns.map((c) => c.header.length);
  for (const row of cells) {
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, (row[i] ?? "").length);
  }
  if (maxWidth > 0) fitWidths(widths, columns, maxWidth);
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const w = widths[i] ?? 0;
        const text = cut(v, w);
        if (i === values.length - 1 && columns[i]?.align !== "right") return text;
        return columns[i]?.align === "right" ? text.padStart(w) : text.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map((r) => line(r))].join("\n");
}
