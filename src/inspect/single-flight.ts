/**
 * @module One call in flight at a time, shared: callers that arrive while a
 * call runs get its promise instead of starting another. An exporter uses it
 * so that a burst of scrapes costs one inspection, not one each.
 */

/**
 * Wraps `fn` so that concurrent callers share one call. The next call after
 * the shared one settles starts a fresh one: results are never reused, so
 * every answer is as new as the request. A rejection reaches every caller
 * that waited for it and is forgotten with it.
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    if (inFlight !== null) return inFlight;
    const call = (async () => fn())();
    const current = call.finally(() => {
      if (inFlight === current) inFlight = null;
    });
    inFlight = current;
    return current;
  };
}
