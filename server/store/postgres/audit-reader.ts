import type { Pool } from 'pg';
import type { AuditEvent, AuditRecord } from '../../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../../contract/audit-query';
import { bucketOf, outcomeOf, type Outcome } from '../../../contract/histogram';
import { pageOf } from '../../../backend/store/newest-first';
import { splitAuditListQuery, type AuditListQuery, type Page } from '../../../backend/store/port';
import { ID_MAX, MAX_CHUNK } from '../scans';
import { auditConditions, type AuditConditions, type SqlParams } from '../sql-dialect';
import { positional, POSTGRES_DIALECT } from './postgres-dialect';

/** The meta row that holds the retention floor (see PostgresStore.purgeAuditRecords). */
export const PURGED_BEFORE_KEY = 'audit_purged_before';

/**
 * The PostgreSQL store's audit reads: the shared filter conditions (sql-dialect.ts) in PostgreSQL's
 * dialect, keyset pages newest first, and the Overview's and timeline's counts.
 */
export class PgAuditReader {
  constructor(
    private readonly pool: Pool,
    /** The retention floor: records older than it are gone for every read at once. */
    private readonly purgedBefore: () => Promise<string | undefined>,
  ) {}

  private async rows<R>(sql: string, params: SqlParams): Promise<R[]> {
    const { text, values } = positional(sql, params);
    return (await this.pool.query(text, values)).rows as R[];
  }

  private async conditions(filter: AuditFilter): Promise<AuditConditions> {
    return auditConditions(filter, await this.purgedBefore(), POSTGRES_DIALECT);
  }

  /**
   * The records matching the conditions, newest first below `below`, in growing chunks (the caller may
   * stop at any record); `compileAuditFilter` confirms each (the conditions alone decide unless the
   * free text spans lines).
   */
  private async *scan(
    filter: AuditFilter,
    c: AuditConditions,
    extra: string[],
    params: SqlParams,
    firstChunk: number,
  ): AsyncGenerator<AuditRecord> {
    const matches = compileAuditFilter(filter);
    const sql = `SELECT id, record_json FROM audit_records
      WHERE ${[...Object.values(c.where).flat(), ...extra, 'id < @below'].join(' AND ')}
      ORDER BY id DESC LIMIT @chunk`;
    let below = (params.below as string | undefined) ?? ID_MAX;
    let chunk = firstChunk;
    for (;;) {
      const rows = await this.rows<{ id: string; record_json: string }>(sql, {
        ...c.params,
        ...params,
        below,
        chunk,
      });
      for (const row of rows) {
        const record = JSON.parse(row.record_json) as AuditRecord;
        if (matches(record)) yield record;
      }
      const last = rows.at(-1);
      if (rows.length < chunk || !last) return;
      below = last.id;
      chunk = Math.min(chunk * 4, MAX_CHUNK);
    }
  }

  /** Newest first: keyset paging by id; PostgreSQL chooses the index. */
  async list(query: AuditListQuery): Promise<Page<AuditRecord>> {
    const { filter, cursor, after, limit } = splitAuditListQuery(query);
    const c = await this.conditions(filter);
    const extra: string[] = [];
    const params: SqlParams = {};
    if (cursor !== undefined) params.below = cursor;
    if (after !== undefined) {
      extra.push('id > @after');
      params.after = after;
    }
    const items: AuditRecord[] = [];
    const firstChunk = c.exact ? limit + 1 : Math.max(limit + 1, 256);
    for await (const record of this.scan(filter, c, extra, params, firstChunk)) {
      items.push(record);
      if (items.length > limit) break;
    }
    return pageOf(items, limit);
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    const { rows } = await this.pool.query<{ record_json: string }>(
      `SELECT record_json FROM audit_records
       WHERE id = $1 AND timestamp >= coalesce((SELECT value FROM meta WHERE key = $2), '')`,
      [id, PURGED_BEFORE_KEY],
    );
    return rows[0] && (JSON.parse(rows[0].record_json) as AuditRecord);
  }

  /** One `GROUP BY` (bucket, event): `width_bucket` puts each instant in its bucket. */
  async histogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
    const first = starts[0];
    if (first === undefined) return counts;
    const c = await this.conditions(filter);
    const params = { first: new Date(first).toISOString() };
    if (!c.exact) {
      for await (const record of this.scan(filter, c, ['timestamp >= @first'], params, MAX_CHUNK)) {
        const bucket = bucketOf(starts, Date.parse(record.timestamp));
        if (bucket >= 0) counts[bucket]![outcomeOf(record.summary)]++;
      }
      return counts;
    }
    const where = ['timestamp >= @first', ...Object.values(c.where).flat()].join(' AND ');
    const rows = await this.rows<{ bucket: number; summary: AuditEvent; n: string }>(
      `SELECT width_bucket(timestamp, @starts::text[]) AS bucket, summary, count(*) AS n
       FROM audit_records WHERE ${where} GROUP BY 1, 2`,
      { ...c.params, ...params, starts: starts.map((ms) => new Date(ms).toISOString()) },
    );
    for (const row of rows) counts[row.bucket - 1]![outcomeOf(row.summary)] += Number(row.n);
    return counts;
  }

  /** `GROUP BY` the field's column; ties in the order of `localeCompare`, as the memory adapter has them. */
  async topValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    const parsed = AuditFilterSchema.parse(filter);
    const c = await this.conditions(parsed);
    const byValue = new Map<string, number>();
    if (c.exact) {
      const column = field === 'clientIp' ? 'client_ip' : 'details_username';
      const where = [`${column} IS NOT NULL`, `${column} != ''`, ...Object.values(c.where).flat()];
      const rows = await this.rows<{ value: string; n: string }>(
        `SELECT ${column} AS value, count(*) AS n FROM audit_records WHERE ${where.join(' AND ')} GROUP BY 1`,
        c.params,
      );
      for (const row of rows) byValue.set(row.value, Number(row.n));
    } else {
      for await (const record of this.scan(parsed, c, [], {}, MAX_CHUNK)) {
        const value = field === 'clientIp' ? record.source.clientIp : record.details.username;
        if (value) byValue.set(value, (byValue.get(value) ?? 0) + 1);
      }
    }
    return [...byValue]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
  }
}
