/**
 * @module The watcher's latest round for the dashboard: each new round is
 * kept (replacing the one before: nothing accumulates) and pushed to the
 * live clients, at most maxClients of them (an SSE stream holds its
 * connection for as long as the page is open).
 */
export interface LiveClient {
  send(json: string): void;
  /** The feed closes (the watcher stops). */
  end(): void;
}

export const DEFAULT_MAX_LIVE_CLIENTS = 32;

export class LiveFeed<T> {
  private latestJson: string | null = null;
  private latestValue: T | null = null;
  private readonly clients = new Set<LiveClient>();
  private closed = false;

  constructor(readonly maxClients = DEFAULT_MAX_LIVE_CLIENTS) {}

  /** The round just written: kept as the latest and sent to every client. */
  publish(value: T, json: string): void {
    this.latestValue = value;
    this.latestJson = json;
    for (const c of this.clients) c.send(json);
  }

  latest(): { value: T; json: string } | null {
    return this.latestValue === null || this.latestJson === null
      ? null
      : { value: this.latestValue, json: this.latestJson };
  }

  /** null when the feed is full or closed; otherwise the function that removes the client. */
  subscribe(client: LiveClient): (() => void) | null {
    if (this.closed || this.clients.size >= this.maxClients) return null;
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
