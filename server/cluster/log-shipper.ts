import type { NewLogEntry } from '../../backend/store/port';

/** Lines that wait for the database at most; beyond, the oldest are dropped (and counted). */
const MAX_WAITING = 10_000;

/**
 * Copies a node's log lines into the database (docs/decisions/0015-log-entries-of-every-node.md), so
 * that any node's Log entries tab reads every node's lines, a node that is down included. The lines
 * of one turn of the event loop go in one insert, after the answer (the log file is the node's own
 * record, written first); while the database is away they wait, at most MAX_WAITING.
 */
export class LogShipper {
  private waiting: NewLogEntry[] = [];
  private shipping: Promise<void> | null = null;
  /** Lines dropped since the last report (the database away for long). */
  private dropped = 0;

  constructor(private readonly insert: (entries: NewLogEntry[]) => Promise<void>) {}

  ship(entries: readonly NewLogEntry[]): void {
    this.waiting.push(...entries);
    this.trim();
    this.shipping ??= new Promise<void>((turn) => setImmediate(turn)).then(() => this.flush());
  }

  /** Resolves once what was handed over is in the database (or given up). */
  async idle(): Promise<void> {
    while (this.shipping) await this.shipping;
  }

  private trim(): void {
    const excess = this.waiting.length - MAX_WAITING;
    if (excess <= 0) return;
    this.waiting.splice(0, excess);
    this.dropped += excess;
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.insert(batch);
      if (this.dropped > 0) {
        console.error(`${this.dropped} log lines were not copied to the database (it was away)`);
        this.dropped = 0;
      }
    } catch (error) {
      // Kept for the next try, in front of what came meanwhile.
      this.waiting = [...batch, ...this.waiting];
      this.trim();
      console.error(`Log lines not copied to the database yet: ${(error as Error).message}`);
      await new Promise((retry) => setTimeout(retry, 1_000));
    } finally {
      this.shipping = null;
      if (this.waiting.length > 0) this.ship([]);
    }
  }
}
