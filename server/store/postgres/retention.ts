import type { Pool } from 'pg';
import type { StoreChange } from '../../../backend/store/cached-store';
import { PURGED_BEFORE_KEY } from './audit-reader';
import type { PgAuditTexts } from './audit-texts';
import { readMeta } from './sql';

/** Retention deletes this many records (or log lines) per statement, so that writers never wait long. */
export const PURGE_BATCH = 5_000;

/**
 * Audit retention on PostgreSQL (decision 0018): the retention floor, kept in memory so that audit
 * reads do not read it each time, and the purge of the records older than it with their text pairs
 * and the texts no record has any more.
 */
export class PgRetention {
  /** The retention floor as last read or set (see `floor`); undefined: not known. */
  private known: { value: string | undefined } | undefined;
  /** Counts the times the floor was forgotten: a read keeps what it read only if none happened meanwhile. */
  private forgotten = 0;

  constructor(
    private readonly pool: Pool,
    private readonly auditTexts: PgAuditTexts,
  ) {}

  /**
   * The retention floor (records older than it are gone for every read). This process's retention
   * sets it; another node's is told by the change feed (`invalidate`), which a raised floor notifies
   * (migration 9).
   */
  async floor(): Promise<string | undefined> {
    if (this.known) return this.known.value;
    const forgotten = this.forgotten;
    const value = await readMeta(this.pool, PURGED_BEFORE_KEY);
    if (forgotten === this.forgotten) this.known = { value };
    return value;
  }

  /**
   * Drops what a change made elsewhere (another node: the cluster's change feed) made stale here: the
   * floor, when retention raised it, when the settings (its period) changed, or when what changed is
   * not known.
   */
  invalidate(change: StoreChange): void {
    if (change.kind === 'retention' || change.kind === 'settings' || change.kind === 'everything') {
      this.forget();
    }
  }

  private forget(): void {
    this.forgotten++;
    this.known = undefined;
  }

  /**
   * Retention: the floor first (every read leaves out what is older at once), then the records with
   * their pairs, a batch per statement, so that no writer waits on one long delete; then the texts that
   * no record has any more.
   */
  async purge(before: string): Promise<void> {
    const raised = await this.pool.query(
      `INSERT INTO meta (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value < excluded.value
       RETURNING value`,
      [PURGED_BEFORE_KEY, before],
    );
    if (raised.rowCount !== 0 || (this.known?.value ?? '') < before) this.forget();
    if (raised.rowCount !== 0) this.known = { value: before };
    const texts = new Set<string>();
    for (;;) {
      const { rows } = await this.pool.query<{ records: string; texts: string[] }>(
        `WITH gone AS (
           DELETE FROM audit_records WHERE id IN
             (SELECT id FROM audit_records WHERE timestamp < $1 LIMIT ${PURGE_BATCH})
           RETURNING id
         ), pairs AS (
           DELETE FROM audit_record_texts AS p USING gone WHERE p.record_id = gone.id RETURNING p.text_id
         )
         SELECT (SELECT count(*) FROM gone) AS records, ARRAY(SELECT DISTINCT text_id FROM pairs) AS texts`,
        [before],
      );
      for (const id of rows[0]!.texts) texts.add(id);
      if (Number(rows[0]!.records) < PURGE_BATCH) break;
    }
    if (texts.size > 0) await this.auditTexts.deleteOrphans(this.pool, [...texts]);
  }
}
