/**
 * @module The `sockdoc tune apply NAME=VALUE...` line a finding recommends,
 * quoted for a POSIX shell so it can be pasted as is. Pure.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function applyCommand(settings: ReadonlyArray<readonly [string, string]>): string {
  return ["sockdoc", "tune", "apply", ...settings.map(([name, value]) => quote(`${name}=${value}`))].join(
    " ",
  );
}
