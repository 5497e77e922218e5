import type { Pool } from 'pg';
import type { AuditEvent, AuditRecord } from '../../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../../contract/audit-query';
import { bucketOf, outcomeOf, type Outcome } from '../../../contract/histogram';
import { pageOf } from '../../../backend/store/newest-first';
import { splitAuditListQuery, type AuditListQuery, type Page } from '../../../backend/store/port';
import { ID_MAX, MAX_CHUNK } from '../scans';
import { auditConditions, type AuditConditions, type SqlParams } from '../sql-dialect';
import type { PgAuditTexts } from './audit-texts';
import { positional, POSTGRES_DIALECT } from './postgres-dialect';

/** The meta row that holds the retention floor (see PostgresStore.purgeAuditRecords). */
export const PURGED_BEFORE_KEY = 'audit_purged_before';

/** The audit filter as SQL, with the free text as the distinct texts that hold it when they are few. */
interface PgAuditConditions extends AuditConditions {
  /**
   * The ids of the few distinct texts that hold the free text (their pairs can drive a scan), also in
   * `params` as `@texts` and one by one as `@text0`, `@text1`, …
   */
  texts?: string[];
}

/** A record has one of the texts `@texts` (their pairs, along the (text, record) index). */
const HAS_TEXT = 'id IN (SELECT record_id FROM audit_record_texts WHERE text_id = ANY(@texts::bigint[]))';

/** Every condition of `c`, the free text's included. */
const allConditions = (c: PgAuditConditions) => [
  ...Object.values(c.where).flat(),
  ...(c.texts ? [HAS_TEXT] : []),
];

/**
 * Whether the free text is the filter's only condition but the time range: the server gives every read
 * the retention cut-off as its `from`, and the records of the texts' pairs are checked against the
 * range as they are read.
 */
function onlyText({ q, summary, from: _from, to: _to, ...others }: AuditFilter): boolean {
  return q !== undefined && summary.length === 0 && Object.values(others).every((v) => v === undefined);
}

/**
 * The PostgreSQL store's audit reads: the shared filter conditions (sql-dialect.ts) in PostgreSQL's
 * dialect, the free text looked up in the distinct texts of the log first (PgAuditTexts), keyset pages
 * newest first, and the Overview's and timeline's counts.
 */
export class PgAuditReader {
  constructor(
    private readonly pool: Pool,
    private readonly texts: PgAuditTexts,
    /** In how many distinct texts at most a free text is looked for by their pairs (MAX_TEXT_SCANS). */
    private readonly maxTextScans: number,
    /** The retention floor: records older than it are gone for every read at once. */
    private readonly purgedBefore: () => Promise<string | undefined>,
  ) {}

  private async rows<R>(sql: string, params: SqlParams): Promise<R[]> {
    const { text, values } = positional(sql, params);
    return (await this.pool.query(text, values)).rows as R[];
  }

  /**
   * The filter as SQL conditions (the shared `auditConditions`), the free text first looked up in the
   * distinct texts (as SQLite's planner does): none holds it — null, no record matches; a few — the
   * records that have one of them (`texts`); more — the text is common, and each record is checked
   * (its `search_text`, as the dialect has it).
   */
  private async conditions(filter: AuditFilter): Promise<PgAuditConditions | null> {
    const floor = await this.purgedBefore();
    const texts = filter.q
      ? await this.texts.containing(this.pool, filter.q.toLowerCase(), this.maxTextScans)
      : null;
    if (!texts) return auditConditions(filter, floor, POSTGRES_DIALECT);
    if (texts.length === 0) return null;
    const c: PgAuditConditions = auditConditions({ ...filter, q: undefined }, floor, POSTGRES_DIALECT);
    c.texts = texts;
    c.params.texts = texts;
    texts.forEach((id, i) => (c.params[`text${i}`] = id));
    return c;
  }

  /**
   * The records of `sql` (which takes `@below` and `@chunk` and answers rows newest first, a row
   * without its record's JSON when the record does not match), in growing chunks: the caller may stop
   * at any record. `compileAuditFilter` confirms each (the conditions alone decide unless the free text
   * spans lines).
   */
  private async *scan(
    filter: AuditFilter,
    sql: string,
    params: SqlParams,
    firstChunk: number,
  ): AsyncGenerator<AuditRecord> {
    const matches = compileAuditFilter(filter);
    let below = (params.below as string | undefined) ?? ID_MAX;
    let chunk = firstChunk;
    let previous: string | undefined;
    for (;;) {
      const rows = await this.rows<{ id: string; record_json: string | null }>(sql, {
        ...params,
        below,
        chunk,
      });
      for (const row of rows) {
        // A record of two of the texts comes twice, one after the other.
        if (row.record_json === null || row.id === previous) continue;
        previous = row.id;
        const record = JSON.parse(row.record_json) as AuditRecord;
        if (matches(record)) yield record;
      }
      const last = rows.at(-1);
      if (rows.length < chunk || !last) return;
      below = last.id;
      chunk = Math.min(chunk * 4, MAX_CHUNK);
    }
  }

  /**
   * The records matching every condition and `extra`, newest first below `@below`: PostgreSQL's
   * planner picks the index.
   */
  private records(c: PgAuditConditions, extra: string[] = []): string {
    return `SELECT id, record_json FROM audit_records
      WHERE ${[...allConditions(c), ...extra, 'id < @below'].join(' AND ')}
      ORDER BY id DESC LIMIT @chunk`;
  }

  /**
   * The records of the few texts that hold the free text, newest first: each text's pairs read newest
   * first along the (text, record) index and merged, each record read by its id with the other
   * conditions. Reads as many pairs as the page needs, however many records hold the texts.
   */
  private recordsOfTexts(c: PgAuditConditions, after: boolean): string {
    const bounds = ['record_id < @below', ...(after ? ['record_id > @after'] : [])].join(' AND ');
    const pairs = c.texts!.map(
      (_, i) => `(SELECT record_id FROM audit_record_texts WHERE text_id = @text${i} AND ${bounds}
        ORDER BY record_id DESC LIMIT @chunk)`,
    );
    const on = ['a.id = p.record_id', ...Object.values(c.where).flat()].join(' AND ');
    return `SELECT p.record_id AS id, a.record_json
      FROM (SELECT record_id FROM (${pairs.join(' UNION ALL ')}) AS u ORDER BY record_id DESC LIMIT @chunk) AS p
      LEFT JOIN audit_records AS a ON ${on}
      ORDER BY p.record_id DESC`;
  }

  /**
   * Newest first: keyset paging by id. A free text alone, found in a few texts, is read along their
   * pairs; anything else is left to PostgreSQL's planner, which picks the index.
   */
  async list(query: AuditListQuery): Promise<Page<AuditRecord>> {
    const { filter, cursor, after, limit } = splitAuditListQuery(query);
    const c = await this.conditions(filter);
    if (!c) return { items: [], nextCursor: null };
    const sql =
      c.texts && onlyText(filter)
        ? this.recordsOfTexts(c, after !== undefined)
        : this.records(c, after !== undefined ? ['id > @after'] : []);
    const params: SqlParams = { ...c.params };
    if (cursor !== undefined) params.below = cursor;
    if (after !== undefined) params.after = after;
    const items: AuditRecord[] = [];
    const firstChunk = c.exact ? limit + 1 : Math.max(limit + 1, 256);
    for await (const record of this.scan(filter, sql, params, firstChunk)) {
      items.push(record);
      if (items.length > limit) break;
    }
    return pageOf(items, limit);
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    const { rows } = await this.pool.query<{ record_json: string }>(
      'SELECT record_json FROM audit_records WHERE id = $1 AND timestamp >= $2',
      [id, (await this.purgedBefore()) ?? ''],
    );
    return rows[0] && (JSON.parse(rows[0].record_json) as AuditRecord);
  }

  /** One `GROUP BY` (bucket, event): `width_bucket` puts each instant in its bucket. */
  async histogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
    const first = starts[0];
    if (first === undefined) return counts;
    const c = await this.conditions(filter);
    if (!c) return counts;
    const params = { ...c.params, first: new Date(first).toISOString() };
    if (!c.exact) {
      for await (const record of this.scan(
        filter,
        this.records(c, ['timestamp >= @first']),
        params,
        MAX_CHUNK,
      )) {
        const bucket = bucketOf(starts, Date.parse(record.timestamp));
        if (bucket >= 0) counts[bucket]![outcomeOf(record.summary)]++;
      }
      return counts;
    }
    const where = ['timestamp >= @first', ...allConditions(c)].join(' AND ');
    const rows = await this.rows<{ bucket: number; summary: AuditEvent; n: string }>(
      `SELECT width_bucket(timestamp, @starts::text[]) AS bucket, summary, count(*) AS n
       FROM audit_records WHERE ${where} GROUP BY 1, 2`,
      { ...params, starts: starts.map((ms) => new Date(ms).toISOString()) },
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
    if (!c) return [];
    const byValue = new Map<string, number>();
    if (c.exact) {
      const column = field === 'clientIp' ? 'client_ip' : 'details_username';
      const where = [`${column} IS NOT NULL`, `${column} != ''`, ...allConditions(c)];
      const rows = await this.rows<{ value: string; n: string }>(
        `SELECT ${column} AS value, count(*) AS n FROM audit_records WHERE ${where.join(' AND ')} GROUP BY 1`,
        c.params,
      );
      for (const row of rows) byValue.set(row.value, Number(row.n));
    } else {
      for await (const record of this.scan(parsed, this.records(c), c.params, MAX_CHUNK)) {
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
