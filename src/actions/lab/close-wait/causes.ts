/**
 * @module The defects the close-wait lab can reproduce, and how each one is
 * built: which server program, what the clients send before their FIN, and
 * the Recv-Q the kernel then shows on the server's CLOSE_WAIT sockets.
 */
import { CAUSES, type Cause } from "../../../analysis/close-wait/types.js";
import { UsageError } from "../../../model/errors.js";

export interface LabRecipe {
  cause: Cause;
  /** node: a net.Server with the defect; python: a listener that never accept()s (Node always accepts). */
  server: "node" | "python";
  /** Bytes each client writes before half-closing. */
  payload: number;
  /** What the server does wrong, for the ready message. */
  defect: string;
}

const PAYLOAD = 100;

const RECIPES: Record<Cause, LabRecipe> = {
  "eof-not-closed": {
    cause: "eof-not-closed",
    server: "node",
    payload: 0,
    defect: "net.Server with allowHalfOpen: true reads to the end and never calls end()",
  },
  "fin-unread": {
    cause: "fin-unread",
    server: "node",
    payload: 0,
    defect: "net.Server with pauseOnConnect: true never reads, so the FIN stays queued",
  },
  "data-unread": {
    cause: "data-unread",
    server: "node",
    payload: PAYLOAD,
    defect: `net.Server with pauseOnConnect: true never reads the ${PAYLOAD} bytes nor the FIN`,
  },
  "not-accepted": {
    cause: "not-accepted",
    server: "python",
    payload: 0,
    defect: "python3 listener that never calls accept(): connections wait in its accept queue",
  },
};

export function recipeFor(cause: string): LabRecipe {
  const recipe = (RECIPES as Record<string, LabRecipe | undefined>)[cause];
  if (!recipe) throw new UsageError(`unknown cause "${cause}"; expected one of: ${CAUSES.join(", ")}`);
  return recipe;
}

/** The Recv-Q every reproduced socket must show once the defect is in place. */
export function expectedRecvQ(recipe: LabRecipe): number {
  if (recipe.cause === "eof-not-closed") return 0;
  return recipe.payload + 1;
}
