/**
 * @module A BPF program loaded at the first read that may use it and kept
 * for the process (a scrape after scrape reuses it); after a failure it is
 * unloaded for good and the first failure's reason kept, for --debug.
 */
export interface ProgramLoad<H> {
  handle: H | null;
  reason: string | null;
}

export class KeptProgram<H extends { close(): void }> {
  private opened: ProgramLoad<H> | undefined;

  /** Whether a load was tried (whatever came of it). */
  get tried(): boolean {
    return this.opened !== undefined;
  }

  /** The program, loaded by load() now if it was not tried yet; null and why when it cannot serve. */
  get(load: () => ProgramLoad<H>): ProgramLoad<H> {
    return (this.opened ??= load());
  }

  /** Unloads it for the process; returns the reason kept (the first failure's). */
  drop(reason: string): string {
    if (!this.opened || this.opened.handle !== null) {
      this.opened?.handle?.close();
      this.opened = { handle: null, reason };
    }
    return this.opened.reason!;
  }
}
