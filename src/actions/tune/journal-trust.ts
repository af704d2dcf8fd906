/**
 * @module Whether a tune journal can be trusted: rollback writes, as root,
 * whatever old values the journal holds, so whoever can write the journal
 * (or replace it in its directory) chooses what root writes. The journal
 * must be a regular file owned by root (or by the user running sockdoc, who
 * can write only what they could write anyway), and neither it nor its
 * directory writable by group or others (a sticky /tmp included: another
 * user could have created the file first). Checked before the lock is taken
 * beside it.
 */
import { realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../../model/errors.js";

/** What statSync gives that the rule reads; tests hand their own. */
export interface Ownership {
  uid: number;
  mode: number;
  isFile: boolean;
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, "0");

function writers(mode: number): string | null {
  const group = (mode & 0o020) !== 0;
  const others = (mode & 0o002) !== 0;
  if (group && others) return "group and others";
  if (group) return "its group";
  if (others) return "others";
  return null;
}

/** Why it (an owner and mode) cannot be trusted, or null. me: the effective uid. */
export function distrust(s: Ownership, me: number): string | null {
  if (s.uid !== 0 && s.uid !== me) {
    return `belongs to uid ${s.uid}, not root${me === 0 ? "" : ` or you (uid ${me})`}`;
  }
  const who = writers(s.mode);
  return who ? `is writable by ${who} (mode ${octal(s.mode)})` : null;
}

function ownership(path: string): Ownership {
  const s = statSync(path);
  return { uid: s.uid, mode: s.mode, isFile: s.isFile() };
}

const STAKES = "so rollback could be made to write, as root, values someone else chose";

/**
 * Throws InputError (exit 3) when the journal at path, or its directory,
 * could have been written by someone other than root (or the user running
 * sockdoc). A journal that does not exist yet only has its directory
 * checked, when that exists (apply creates it 0750).
 */
export function checkJournalTrust(path: string, me = process.geteuid?.() ?? 0): void {
  let real = path;
  let file: Ownership | null = null;
  try {
    real = realpathSync(path);
    file = ownership(real);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") return; // unreadable: said by whoever reads it
  }
  const named = real === path ? "it" : `its target ${real}`;
  if (file && !file.isFile) {
    throw new InputError(`refusing the journal ${path}: ${named} is not a regular file`);
  }
  const fileWhy = file === null ? null : distrust(file, me);
  if (file !== null && fileWhy !== null) {
    const fix = file.uid !== 0 && file.uid !== me ? `chown root ${real}` : `chmod go-w ${real}`;
    throw new InputError(
      `refusing the journal ${path}: ${named} ${fileWhy}, ${STAKES}; if its content is yours: ${fix}`,
    );
  }
  const dir = dirname(real);
  let dirStat: Ownership;
  try {
    dirStat = ownership(dir);
  } catch {
    return; // no directory yet: apply creates it, 0750
  }
  const dirWhy = distrust(dirStat, me);
  if (dirWhy) {
    throw new InputError(
      `refusing the journal ${path}: its directory ${dir} ${dirWhy}, ${STAKES}; ` +
        "keep journals in a directory only root can write (like the default /var/lib/sockdoc)",
    );
  }
}
