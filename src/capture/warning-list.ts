/**
 * @module A capped list of per-line warnings: the first few name their line,
 * the rest are counted in one closing line, so a garbled 100k-row capture
 * cannot flood stderr.
 */

/** Detailed per-line warnings kept; past this, one line counts the rest. */
const MAX_LINE_WARNINGS = 20;

export class WarningList {
  private readonly lines: string[] = [];
  private readonly notes: string[] = [];
  private added = 0;
  /** The first per-line warning, for an error message when nothing could be read. */
  first = "";

  constructor(private readonly origin: string) {}

  /** A per-line warning (capped). */
  add(message: string): void {
    if (this.added++ === 0) this.first = message;
    if (this.added <= MAX_LINE_WARNINGS) this.lines.push(message);
  }

  /** A warning about the whole capture (never capped). */
  note(message: string): void {
    this.notes.push(message);
  }

  get count(): number {
    return this.added;
  }

  list(): string[] {
    const more = this.added - MAX_LINE_WARNINGS;
    const tail = more > 0 ? [`${this.origin}: ${more} more lines skipped`] : [];
    return [...this.lines, ...tail, ...this.notes];
  }
}
