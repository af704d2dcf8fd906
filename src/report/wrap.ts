/**
 * @module Word wrapping for the text report, so it reads at 80 columns:
 * continuation lines are indented under the first line's text.
 */

/** Words longer than a whole line (Java class paths) are cut into line-sized pieces. */
function pieces(text: string, room: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (word.length <= room) out.push(word);
    else for (let i = 0; i < word.length; i += room) out.push(word.slice(i, i + room));
  }
  return out;
}

/** Wraps text into lines of at most width characters. */
export function wrap(text: string, width: number, indent = "", hanging = indent): string[] {
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const word of pieces(text, Math.max(8, width - Math.max(indent.length, hanging.length)))) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = hanging + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

/** "21-24, 30, 32-33": consecutive numbers as ranges. */
export function compactNumbers(nums: readonly number[], max = 12): string {
  const parts: string[] = [];
  let i = 0;
  while (i < nums.length && parts.length < max) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
    parts.push(j === i ? `${nums[i]}` : `${nums[i]}-${nums[j]}`);
    i = j + 1;
  }
  if (i < nums.length) parts.push(`… (${nums.length} in all)`);
  return parts.join(", ");
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const min = Math.round(seconds / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
