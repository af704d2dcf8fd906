/**
 * @module A stage of dumps started before its turn. A pass whose kernel
 * filter rests on what the passes before it saw (timewait's other states:
 * only the destination ports its TIME_WAIT sockets showed) had to wait for
 * them, and its dump, a walk of the whole table (~60 ms at 240k sockets),
 * ran while nothing else did. Started as soon as the last dump before it
 * has begun, with the filter as it stands then, it runs beside that dump;
 * its chunks wait here, unvisited. At its turn the filter is asked again:
 * the same program, and these chunks are the stage's (adopt); another, and
 * they are dropped and the stage dumps again (abandon). So the sockets
 * visited are always those of the final filter.
 */

export class EarlyDumps {
  private readonly waiting: Array<[number, Buffer]> = [];
  private waitingBytes = 0;
  private done = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private adopted = false;
  /** More than maxBytes waited before the stage's turn: it was given up (its stream closed). */
  overflowed = false;
  private readonly pumping: Promise<void>;

  /**
   * source: the stage's chunks as [dump, chunk]; maxBytes: the most kept
   * waiting before the stage's turn (a filter that lets much through is not
   * worth holding: the stage then dumps at its turn).
   */
  constructor(
    source: AsyncGenerator<[number, Buffer]>,
    private readonly maxBytes: number,
  ) {
    this.pumping = this.pump(source);
  }

  private async pump(source: AsyncGenerator<[number, Buffer]>): Promise<void> {
    try {
      // Leaving the loop closes the source (its finally closes the stream).
      for await (const item of source) {
        if (this.stopped) break;
        this.waiting.push(item);
        this.waitingBytes += item[1].length;
        if (!this.adopted && this.waitingBytes > this.maxBytes) {
          this.overflowed = true;
          this.waiting.length = 0;
          this.waitingBytes = 0;
          break;
        }
        this.signal();
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.done = true;
      this.signal();
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Whether the stage may be adopted: it neither overflowed nor failed so far. */
  usable(): boolean {
    return !this.overflowed && this.failure === null;
  }

  /** The stage's chunks, in order: those that waited, then the rest as they come. */
  async *adopt(): AsyncGenerator<[number, Buffer]> {
    if (this.overflowed) throw new Error("EarlyDumps: an overflowed stage cannot be adopted");
    this.adopted = true;
    try {
      for (;;) {
        const next = this.waiting.shift();
        if (next) {
          this.waitingBytes -= next[1].length;
          yield next;
          continue;
        }
        if (this.failure) throw this.failure.error;
        if (this.done) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // Stopped early (a visitor threw): close the stream too.
      if (!this.done) await this.abandon();
    }
  }

  /**
   * Gives the stage up: what it read is dropped (a failure too) and its
   * stream closed once its pending read ends; never rejects.
   */
  async abandon(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    this.waitingBytes = 0;
    await this.pumping;
  }
}

/** Whether two stages' filters are the same programs, pass by pass. */
export function samePrograms(
  a: ReadonlyArray<Uint8Array | null | undefined>,
  b: ReadonlyArray<Uint8Array | null | undefined>,
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!x || !y || x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  }
  return true;
}
