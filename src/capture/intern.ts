/**
 * @module One shared copy of the short strings a capture repeats on every
 * row (addresses, process names): a 1M-row capture otherwise holds a million
 * copies of its own few addresses. The copy is a fresh flat string, so it
 * never keeps alive the whole capture text it was sliced from (V8 slices of
 * 13+ characters point into their parent).
 */

/** Distinct strings kept; past this the pool starts over, so odd input cannot grow it without end. */
const MAX_POOL = 20_000;

let pool = new Map<string, string>();

/** The shared copy of text. */
export function intern(text: string): string {
  const known = pool.get(text);
  if (known !== undefined) return known;
  if (pool.size >= MAX_POOL) pool = new Map();
  // Concatenating then slicing makes V8 flatten into a new string of its own.
  const own = ` ${text}`.slice(1);
  pool.set(own, own);
  return own;
}
