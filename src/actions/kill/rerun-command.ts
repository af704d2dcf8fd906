/**
 * @module The exact command line to run next: the same invocation with
 * --yes (and sudo when this process may not destroy sockets), quoted so it
 * can be pasted into a shell as is.
 */
import { realpathSync, statSync } from "node:fs";
import { basename, delimiter, join, resolve } from "node:path";

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * program: how to name sockdoc; args: the words after it (as given). The
 * result acts (--yes, no --dry-run), prefixed by sudo when asked.
 */
export function rerunCommand(program: string, args: readonly string[], sudo: boolean): string {
  const words = args.filter((a) => a !== "--dry-run");
  if (!words.includes("--yes") && !words.includes("-y")) words.push("--yes");
  const line = [program, ...words].map(shellQuote).join(" ");
  return sudo ? `sudo ${line}` : line;
}

/**
 * "sockdoc" when the script that runs us is the sockdoc found on PATH,
 * else its absolute path (so the printed command runs the same program).
 */
export function invokedAs(script: string | undefined, pathEnv = process.env.PATH ?? ""): string {
  if (!script) return "sockdoc";
  const absolute = resolve(script);
  if (basename(absolute) !== "sockdoc") return absolute;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    try {
      const candidate = join(dir, "sockdoc");
      if (statSync(candidate).isFile() && realpathSync(candidate) === realpathSync(absolute))
        return "sockdoc";
    } catch {
      // Not in this PATH entry.
    }
  }
  return absolute;
}
