/**
 * @module Whether inspections keep the event loop free while the kernel and
 * the fd walk work (dumps and walks on the addon's threads, awaited), or call
 * them directly. A server or a watcher must answer while it reads: it asks
 * for the first at start. A one-shot command has nothing else to do, and the
 * direct calls save it the thread hand-offs (about 10 to 30 ms at 240k sockets).
 */
let offTheLoop = false;

export function keepEventLoopFree(): void {
  offTheLoop = true;
}

export function eventLoopKeptFree(): boolean {
  return offTheLoop;
}
