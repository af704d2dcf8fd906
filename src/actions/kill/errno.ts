/**
 * @module errno numbers SOCK_DESTROY answers (the addon returns them as
 * positive numbers), and their names for messages and JSON.
 */
import { constants } from "node:os";

export const ERRNO = {
  EPERM: constants.errno.EPERM,
  ENOENT: constants.errno.ENOENT,
  EACCES: constants.errno.EACCES,
  EOPNOTSUPP: constants.errno.EOPNOTSUPP,
} as const;

const NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  // Aliases share a number (EWOULDBLOCK = EAGAIN, ENOTSUP = EOPNOTSUPP): keep the first.
  if (!NAMES.has(value)) NAMES.set(value, name);
}
NAMES.set(ERRNO.EOPNOTSUPP, "EOPNOTSUPP");

/** "ENOENT", or "errno 1234" for a number Node does not name. */
export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `errno ${errno}`;
}
