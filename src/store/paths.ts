/**
 * @module Where the history database lives when --db is not given: the
 * system's state directory as root (a service), the user's XDG state
 * directory otherwise.
 */
import { join } from "node:path";

export function defaultDbPath(env: NodeJS.ProcessEnv, uid: number, home: string): string {
  if (uid === 0) return "/var/lib/sockdoc/history.db";
  const state = env.XDG_STATE_HOME?.startsWith("/") ? env.XDG_STATE_HOME : join(home, ".local", "state");
  return join(state, "sockdoc", "history.db");
}
