/** Items gathered for one write, and whether it was done. */
interface Batch<T> {
  items: T[];
  start: () => void;
  written: Promise<void>;
}

/**
 * Small writes gathered for `ms` and done as one (on this kind of machine a socket write and a
 * statement cost more than a row's work). `add` resolves once its batch is written and rejects when
 * it could not be; `flush` writes what is gathered now. Writes may overlap.
 */
export class WriteBatcher<T> {
  private current: Batch<T> | null = null;

  constructor(
    private readonly ms: number,
    private readonly write: (items: T[]) => Promise<void>,
  ) {}

  add(...items: T[]): Promise<void> {
    if (!this.current) {
      let start!: () => void;
      const started = new Promise<void>((resolve) => (start = resolve));
      const batch: Batch<T> = {
        items: [],
        start,
        written: started.then(() => {
          if (this.current === batch) this.current = null;
          return this.write(batch.items);
        }),
      };
      // Who added waits on `written`; the batch itself never makes an unhandled rejection.
      batch.written.catch(() => undefined);
      this.current = batch;
      setTimeout(start, this.ms).unref();
    }
    this.current.items.push(...items);
    return this.current.written;
  }

  flush(): void {
    this.current?.start();
  }
}
