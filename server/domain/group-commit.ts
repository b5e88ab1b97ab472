/**
 * Group commit: callers add items and get a promise that settles when the batch holding their item
 * has been written. The first item is flushed at once (no added latency); items that arrive while a
 * flush runs are written together by the next one. Used for tracking events and delivery results,
 * where one statement per item would be slow (PGlite's per-insert latency) and a timer would add delay.
 */
export class GroupCommit<T> {
  #pending: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #running: Promise<void> | null = null;

  /**
   * @param lingerMs wait this long after the first item before flushing, so that more join (0: flush
   *   at once). The wait ends early when `maxBatch` items are pending.
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
    private readonly lingerMs = 0,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= this.maxBatch) this.#full?.();
      this.#running ??= this.#loop();
    });
  }

  #full: (() => void) | null = null;

  async #loop(): Promise<void> {
    while (this.#pending.length) {
      if (this.lingerMs > 0 && this.#pending.length < this.maxBatch) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#full = null;
            resolve();
          }, this.lingerMs);
          this.#full = () => {
            clearTimeout(timer);
            this.#full = null;
            resolve();
          };
        });
      }
      const batch = this.#pending.splice(0, this.maxBatch);
      try {
        await this.flush(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.#running = null;
  }

  /** Resolves once everything added so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }
}
