import type { Pool, PoolClient } from 'pg';
import type { AuditRecord } from '../../../contract/audit';
import { recordTexts, TEXT_CACHE_SIZE } from '../audit-texts';
import { likeContaining } from './postgres-dialect';
import { transaction, type Queryable } from './sql';

/** The lookups of a text by its digest (`audit_texts.hash`: a text may be longer than a B-tree entry). */
const DIGEST = `sha256(convert_to(t, 'UTF8'))`;

/**
 * PostgreSQL's free-text index over the distinct texts of the audit log (migration 7), as SQLite's
 * (server/store/audit-texts.ts): each distinct lower-cased text that the free-text filter searches is
 * stored once (`audit_texts`, with a pg_trgm GIN index), and a record points to its texts by (record
 * id, text id) pairs (`audit_record_texts`, with an index on (text id, record id)). A query is first
 * answered over the distinct texts, then read along the pairs of those texts.
 *
 * Writers keep the ids of the texts they have seen in memory, so a record costs its pairs. Retention
 * deletes the texts no record has any more under the lock of the audit counter row, which every writer
 * takes first, and counts it there (`counters.texts_deleted`): a writer that sees the count change
 * forgets the ids it knew, so it never writes a pair of a deleted text, on any node.
 */
export class PgAuditTexts {
  /** Text → id, for the texts written or read in this process (forgotten after a rollback). */
  private readonly ids = new Map<string, string>();
  /** `counters.texts_deleted` when `ids` was last known to hold only texts that exist. */
  private deletions: string | undefined;

  /**
   * Writes the pairs of these records, and their texts that are new, in the caller's transaction
   * (`transaction` below forgets what it learnt if that transaction rolls back). `skipExisting`: pairs
   * that are there already are left as they are (a copy that goes on).
   */
  async add(client: PoolClient, records: readonly AuditRecord[], skipExisting = false): Promise<void> {
    const { rows } = await client.query<{ texts_deleted: string }>(
      "SELECT texts_deleted FROM counters WHERE name = 'audit' FOR SHARE",
    );
    const deletions = rows[0]!.texts_deleted;
    if (deletions !== this.deletions) {
      this.ids.clear();
      this.deletions = deletions;
    }
    const recordIds: string[] = [];
    const texts: string[] = [];
    for (const record of records) {
      for (const text of recordTexts(record)) {
        recordIds.push(record.id);
        texts.push(text);
      }
    }
    const unknown = [...new Set(texts.filter((text) => !this.ids.has(text)))];
    if (unknown.length > 0) await this.learn(client, unknown);
    const textIds = texts.map((text) => this.ids.get(text)!);
    if (this.ids.size >= TEXT_CACHE_SIZE) this.ids.clear();
    await client.query(
      `INSERT INTO audit_record_texts (record_id, text_id)
       SELECT * FROM unnest($1::text[], $2::bigint[])${skipExisting ? ' ON CONFLICT DO NOTHING' : ''}`,
      [recordIds, textIds],
    );
  }

  /** The ids of these texts, inserting those that are not there yet. */
  private async learn(client: PoolClient, texts: string[]): Promise<void> {
    const find = () =>
      client.query<{ id: string; text: string }>(
        `SELECT id, text FROM audit_texts
         WHERE hash = ANY(ARRAY(SELECT ${DIGEST} FROM unnest($1::text[]) AS t))`,
        [texts],
      );
    for (const row of (await find()).rows) this.ids.set(row.text, row.id);
    const missing = texts.filter((text) => !this.ids.has(text));
    if (missing.length === 0) return;
    const inserted = await client.query<{ id: string; text: string }>(
      `INSERT INTO audit_texts (hash, text) SELECT ${DIGEST}, t FROM unnest($1::text[]) AS t
       ON CONFLICT (hash) DO NOTHING RETURNING id, text`,
      [missing],
    );
    for (const row of inserted.rows) this.ids.set(row.text, row.id);
    // Inserted meanwhile by another transaction (that committed while this one waited for it).
    if (inserted.rows.length < missing.length) {
      for (const row of (await find()).rows) this.ids.set(row.text, row.id);
    }
  }

  /** Forgets the ids it knows (after a rolled-back transaction, which may have made some of them). */
  forget(): void {
    this.ids.clear();
  }

  /** Runs `work` in a transaction (sql.ts); the text ids learnt in it are forgotten if it rolls back. */
  async transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await transaction(pool, work);
    } catch (error) {
      this.forget();
      throw error;
    }
  }

  /**
   * The ids of the texts that contain `q` (lower-cased), at most `limit` of them; null when there are
   * more. The trigram index finds them (a query of one or two characters reads the few texts there
   * are); LIKE keeps the exact answer.
   */
  async containing(on: Queryable, q: string, limit: number): Promise<string[] | null> {
    const { rows } = await on.query<{ id: string }>(
      'SELECT id FROM audit_texts WHERE text LIKE $1 LIMIT $2',
      [likeContaining(q), limit + 1],
    );
    return rows.length > limit ? null : rows.map((row) => row.id);
  }

  /**
   * After retention deleted records (and their pairs): deletes those of `candidates` (the texts of the
   * deleted records) that no record has any more. Under the audit counter row's lock, so that no writer
   * is writing a pair of one of them meanwhile; counted there, so that every writer forgets the ids it
   * knew.
   */
  async deleteOrphans(pool: Pool, candidates: readonly string[]): Promise<void> {
    const orphans = `SELECT id FROM audit_texts AS t WHERE id = ANY($1::bigint[])
      AND NOT EXISTS (SELECT 1 FROM audit_record_texts AS p WHERE p.text_id = t.id)`;
    // Most texts outlive their oldest records: then nothing is locked, and no writer forgets anything.
    const { rowCount } = await pool.query(`${orphans} LIMIT 1`, [candidates]);
    if (rowCount === 0) return;
    await transaction(pool, async (client) => {
      await client.query("UPDATE counters SET texts_deleted = texts_deleted + 1 WHERE name = 'audit'");
      await client.query(`DELETE FROM audit_texts WHERE id IN (${orphans})`, [candidates]);
    });
  }
}
