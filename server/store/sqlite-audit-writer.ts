import { setImmediate as endOfTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { AuditRecord } from '../../contract/audit';
import { nextId } from '../../backend/store/newest-first';
import type { NewAuditRecord } from '../../backend/store/port';
import { isDiskFull } from '../../backend/http/problem';
import type { AuditTextIndex } from './audit-texts';
import { auditParams } from './rows';
import type { SqliteStatements } from './sqlite-statements';

/** Audit records per transaction (a turn's batch is written in one, a backlog in several). */
const AUDIT_WRITE_CHUNK = 1_000;
/** Audit records kept in memory while the disk is full. */
export const MAX_PENDING_AUDIT = 10_000;
const WRITE_RETRY_MS = 5_000;

/** The meta keys the writer keeps: the last id given out, and a probe written after a full disk. */
export const WRITER_META = { auditLastId: 'audit_last_id', writeProbe: 'write_probe' } as const;

/** The larger of two ids (either may be missing). */
export function maxId(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (a == null) return b ?? undefined;
  if (b == null) return a;
  return a > b ? a : b;
}

/**
 * The SQLite store's audit writer: gives out ids, writes a turn's records in one transaction with their
 * search-index entries, and, while the disk is full, keeps a bounded backlog and tries again.
 */
export class SqliteAuditWriter {
  constructor(
    private readonly db: Database.Database,
    private readonly s: SqliteStatements,
    private readonly texts: AuditTextIndex,
    private readonly meta: {
      get: (key: string) => string | undefined;
      set: (key: string, value: string) => void;
    },
  ) {}

  /** Writes what it can and says what it could not (the store is closing). */
  close(): void {
    this.writePendingBeforeRead();
    if (this.pending.length > 0) {
      console.error(
        `${this.pending.length} audit records could not be written before closing ${this.db.name}.`,
      );
    }
    clearInterval(this.retry);
  }

  /** The last id given out: kept in meta as well, so that a purge never lets an id be given out again. */
  lastId(): string {
    return (
      this.pending.at(-1)?.id ??
      maxId(this.meta.get(WRITER_META.auditLastId), this.s.maxAuditId.get() as string | null) ??
      'ar-000000000'
    );
  }

  /**
   * Records appended during one turn of the event loop are inserted together, in one transaction, at
   * its end (a commit costs far more than a record: on a busy server with successful authentications
   * audited, one transaction per request was most of the request's cost); each append resolves once
   * that transaction is committed. They are never missing: every audit read writes the waiting
   * records first.
   */
  private pending: AuditRecord[] = [];
  /** The write at the end of this turn, once a record waits for it. */
  private batch: Promise<void> | null = null;

  async append(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    let last = this.lastId();
    const appended = records.map((record) => {
      last = nextId(last);
      return { id: last, ...record };
    });
    if (appended.length === 0) return appended;
    this.pending.push(...appended);
    await (this.batch ??= endOfTurn().then(() => this.writePending()));
    return appended;
  }

  /**
   * Inserts the records appended since the last write (see `pendingAudit`), in transactions of at
   * most AUDIT_WRITE_CHUNK records: after a full disk, a backlog is written as the space freed allows
   * (one transaction for all of it could need more than was freed, and never succeed). Records that
   * could not be written are kept for the next write (at most MAX_PENDING_AUDIT), and the failure goes
   * to whoever asked for this one.
   */
  writePending(): void {
    this.batch = null;
    while (this.pending.length > 0) {
      const records = this.pending.slice(0, AUDIT_WRITE_CHUNK);
      try {
        this.db.transaction(() => {
          for (const record of records) this.insertRow(record);
          this.meta.set(WRITER_META.auditLastId, records.at(-1)!.id);
        })();
      } catch (error) {
        this.texts.forget();
        this.writeFailed(error);
        throw error;
      }
      this.pending = this.pending.slice(records.length);
    }
    if (this.writeFailure) this.writingAgain();
  }

  /**
   * Inserts a record and its entries in the search indexes: the ids and names of its affected
   * objects (each once, migration 4), and its texts (migration 7).
   */
  insertRow(record: AuditRecord): void {
    this.s.insertAudit.run(...auditParams(record));
    const objects = new Set(record.affectedObjects.flatMap((o) => [o.id, o.name]));
    for (const value of objects)
      if (typeof value === 'string') this.s.insertAuditObject.run(value, record.id);
    this.texts.add(record);
  }

  /** Before an audit read: the pending records, unless they cannot be written (reads work on a full disk). */
  writePendingBeforeRead(): void {
    try {
      this.writePending();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  /**
   * Why the database cannot be written, since when (a full disk); null while it can. The server's
   * /health reports it; writes are tried again every WRITE_RETRY_MS meanwhile.
   */
  writeFailure: { reason: string; since: string } | null = null;
  private retry: NodeJS.Timeout | undefined;
  private droppedAudit = 0;

  private writeFailed(error: unknown): void {
    if (!isDiskFull(error)) return;
    // Memory stays bounded while nothing can be written: the newest records beyond the bound go
    // (their requests were answered 503, not acknowledged).
    if (this.pending.length > MAX_PENDING_AUDIT) {
      this.droppedAudit += this.pending.length - MAX_PENDING_AUDIT;
      this.pending = this.pending.slice(0, MAX_PENDING_AUDIT);
    }
    if (this.writeFailure) return;
    const code = (error as { code?: string }).code ?? 'disk full';
    this.writeFailure = { reason: `the disk is full (${code})`, since: new Date().toISOString() };
    console.error(
      `Cannot write the database ${this.db.name}: the disk is full (${code}). Requests that need a ` +
        `write are answered 503 until there is space again; writing is tried again every ` +
        `${WRITE_RETRY_MS / 1000} s.`,
    );
    this.retry = setInterval(() => this.tryWritingAgain(), WRITE_RETRY_MS);
    this.retry.unref();
  }

  /** While writes fail: gives the WAL's space back if it can, and tries the records (or a probe). */
  tryWritingAgain(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      if (this.pending.length > 0) this.writePending();
      else this.meta.set(WRITER_META.writeProbe, new Date().toISOString());
      if (this.writeFailure) this.writingAgain();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  private writingAgain(): void {
    const since = this.writeFailure?.since;
    this.writeFailure = null;
    clearInterval(this.retry);
    // The WAL grew into what space there was: give back what the backlog no longer needs.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Given back at a later checkpoint.
    }
    const dropped = this.droppedAudit;
    this.droppedAudit = 0;
    console.error(
      `Writing the database ${this.db.name} again (it could not be written since ${since}` +
        `${dropped > 0 ? `; ${dropped} audit records of requests answered 503 could not be kept` : ''}).`,
    );
  }
}
