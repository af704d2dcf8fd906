/**
 * @module How one golden case's result is written down and compared: the
 * run's exit code, stdout and stderr as one readable text file, with only
 * what varies between runs of the same code replaced by a placeholder.
 */

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Replaces what differs from one run of the same code to the next, and
 * nothing else:
 * - `takenAt`: the clock for --proc-root and stdin, a file's mtime for a
 *   capture (which a checkout sets);
 * - sockdoc_scrape_duration_seconds and each collector's duration: how long they took;
 * - sockdoc_build_info's nodejs label: the Node.js that ran it;
 * - the repository's absolute path, which depends on where it is checked out.
 */
export function normalize(text: string, repoRoot: string): string {
  return text
    .split(repoRoot)
    .join("<repo>")
    .replace(/"takenAt":"[^"]*"/g, '"takenAt":"<time>"')
    .replace(/^(sockdoc_scrape(?:_collector)?_duration_seconds(?:\{[^}]*\})?) \S+$/gm, "$1 <seconds>")
    .replace(/^(sockdoc_build_info\{.*nodejs=)"[^"]*"/gm, '$1"<node>"');
}

/** A stream's text as section lines; a missing final newline is marked, as diff does. */
function section(title: string, text: string): string {
  if (text === "") return `#### ${title} (empty)\n`;
  const end = text.endsWith("\n") ? "" : "\n\\ no newline at end\n";
  return `#### ${title}\n${text}${end}`;
}

/**
 * The golden file's text: a header naming the command (so a diff of the
 * file says what ran), the exit code, then stdout and stderr verbatim.
 */
export function goldenText(command: string, outcome: Outcome): string {
  return (
    `#### sockdoc ${command}\n` +
    `#### exit ${outcome.status ?? "killed"}\n` +
    section("stdout", outcome.stdout) +
    section("stderr", outcome.stderr)
  );
}

/** A line with its invisible characters made visible. */
function shown(line: string): string {
  return line.replace(/\r/g, "\\r").replace(/\t/g, "\\t");
}

/** A whole line, cut when long (the column note shows where long lines part). */
function capped(line: string, max = 160): string {
  return line.length > max ? `${shown(line.slice(0, max))} ...(${line.length - max} more)` : shown(line);
}

/** Where two different lines part, with some text around it: JSON output is one long line. */
function columnNote(expected: string, actual: string, width = 60): string {
  let c = 0;
  while (c < expected.length && c < actual.length && expected[c] === actual[c]) c++;
  const from = Math.max(0, c - 20);
  return (
    `  (from column ${c + 1}: expected "${shown(expected.slice(from, c + width))}",` +
    ` actual "${shown(actual.slice(from, c + width))}")`
  );
}

/**
 * The first lines where two golden texts differ, as a short unified-style
 * excerpt: a little context, the changed lines (- expected, + actual, up to
 * count of each), and where the first changed line parts; null when equal.
 */
export function firstDifference(expected: string, actual: string, context = 3, count = 12): string | null {
  if (expected === actual) return null;
  const a = expected.split("\n");
  const b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // The common tail, so that only the changed lines are shown.
  let tail = 0;
  while (tail < a.length - i && tail < b.length - i && a[a.length - 1 - tail] === b[b.length - 1 - tail])
    tail++;
  const changedA = a.slice(i, a.length - tail);
  const changedB = b.slice(i, b.length - tail);
  const out = [`@@ first difference at line ${i + 1} @@`];
  for (let k = Math.max(0, i - context); k < i; k++) out.push(`  ${capped(a[k]!)}`);
  for (const line of changedA.slice(0, count)) out.push(`- ${capped(line)}`);
  if (changedA.length > count) out.push(`- ...(${changedA.length - count} more lines)`);
  for (const line of changedB.slice(0, count)) out.push(`+ ${capped(line)}`);
  if (changedB.length > count) out.push(`+ ...(${changedB.length - count} more lines)`);
  for (const line of a.slice(a.length - tail, a.length - tail + context)) out.push(`  ${capped(line)}`);
  if (changedA.length > 0 && changedB.length > 0) out.push(columnNote(changedA[0]!, changedB[0]!));
  return out.join("\n");
}
