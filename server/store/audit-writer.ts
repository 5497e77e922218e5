import { setImmediate as endOfTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { AuditRecord } from '../../contract/audit';
import { isDiskFull } from '../../backend/http/problem';
import { nextId } from '../../backend/store/newest-first';
import type { NewAuditRecord } from '../../backend/store/port';
import { auditParams } from './rows';

/** Audit records per transaction (a turn's batch is written in one, a backlog in several). */
const AUDIT_WRITE_CHUNK = 1_000;
/** Audit records kept in memory while the disk is full. */
export const MAX_PENDING_AUDIT = 10_000;
const WRITE_RETRY_MS = 5_000;

/** The store's `meta` rows that the writer keeps. */
export interface AuditWriterMeta {
  /** The last audit record id given out (ids are never given out twice, even after a purge). */
  lastId(): string | undefined;
  setLastId(id: string): void;
  /** Written to see whether the database can be written again after a full disk. */
  probe(): void;
}

/**
 * How the SQLite store writes audit records. Records appended during one turn of the event loop are
 * inserted together, in one transaction, at its end (a commit costs far more than a record: on a busy
 * server with successful authentications audited, one transaction per request was most of the
 * request's cost); each append resolves once its records are committed. They are never missing: every
 * audit read writes the waiting records first.
 *
 * When the disk is full, the records wait in memory (at most MAX_PENDING_AUDIT; their requests are
 * answered 503), reads go on, `writeFailure` says why, and writing is tried again every
 * WRITE_RETRY_MS; a backlog is written in transactions that fit in the space freed.
 */
export class AuditWriter {
  private pending: AuditRecord[] = [];
  /** The write at the end of this turn, once a record waits for it. */
  private batch: Promise<void> | null = null;
  /**
   * Why the database cannot be written, since when (a full disk); null while it can. The server's
   * /health reports it.
   */
  writeFailure: { reason: string; since: string } | null = null;
  private retry: NodeJS.Timeout | undefined;
  private dropped = 0;
  private readonly insert: Database.Statement<unknown[], unknown>;
  private readonly maxId: Database.Statement<unknown[], unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly meta: AuditWriterMeta,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_records (id, timestamp, category, summary, author_username_lc,
         author_display_name_lc, client_ip, proxy_ip, details_username, objects, search_text,
         record_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.maxId = db.prepare('SELECT max(id) FROM audit_records').pluck();
  }

  /** The last id given out: kept in meta as well, so that a purge never lets an id be given out again. */
  lastId(): string {
    return (
      this.pending.at(-1)?.id ??
      maxId(this.meta.lastId(), this.maxId.get() as string | null) ??
      'ar-000000000'
    );
  }

  /** Gives the records their ids, in call order; resolves with them once they are committed. */
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
   * Inserts the records appended since the last write, in transactions of at most AUDIT_WRITE_CHUNK
   * records: after a full disk, a backlog is written as the space freed allows (one transaction for
   * all of it could need more than was freed, and never succeed). Records that could not be written
   * are kept for the next write, and the failure goes to whoever asked for this one.
   */
  writePending(): void {
    this.batch = null;
    while (this.pending.length > 0) {
      const records = this.pending.slice(0, AUDIT_WRITE_CHUNK);
      try {
        this.db.transaction(() => {
          for (const record of records) this.insert.run(...auditParams(record));
          this.meta.setLastId(records.at(-1)!.id);
        })();
      } catch (error) {
        this.writeFailed(error);
        throw error;
      }
      this.pending = this.pending.slice(records.length);
    }
    if (this.writeFailure) this.writingAgain();
  }

  /** Inserts a record at once (a bulk load, inside the caller's transaction). */
  insertNow(record: AuditRecord): void {
    this.insert.run(...auditParams(record));
  }

  /** Before an audit read: the pending records, unless they cannot be written (reads work on a full disk). */
  writePendingBeforeRead(): void {
    try {
      this.writePending();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  /** While writes fail: gives the WAL's space back if it can, and tries the records (or a probe). */
  tryWritingAgain(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      if (this.pending.length > 0) this.writePending();
      else this.meta.probe();
      if (this.writeFailure) this.writingAgain();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  /** On the way out: what can still be written, and a word on what cannot. */
  close(): void {
    this.writePendingBeforeRead();
    if (this.pending.length > 0) {
      console.error(
        `${this.pending.length} audit records could not be written before closing ${this.db.name}.`,
      );
    }
    clearInterval(this.retry);
  }

  private writeFailed(error: unknown): void {
    if (!isDiskFull(error)) return;
    // Memory stays bounded while nothing can be written: the newest records beyond the bound go
    // (their requests were answered 503, not acknowledged).
    if (this.pending.length > MAX_PENDING_AUDIT) {
      this.dropped += this.pending.length - MAX_PENDING_AUDIT;
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
    const dropped = this.dropped;
    this.dropped = 0;
    console.error(
      `Writing the database ${this.db.name} again (it could not be written since ${since}` +
        `${dropped > 0 ? `; ${dropped} audit records of requests answered 503 could not be kept` : ''}).`,
    );
  }
}

export function maxId(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (a == null) return b ?? undefined;
  if (b == null) return a;
  return a > b ? a : b;
}
