import type Database from 'better-sqlite3';
import type { AuditEvent, AuditRecord } from '../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../contract/audit-query';
import { bucketOf, outcomeOf, type Outcome } from '../../contract/histogram';
import { pageOf } from '../../backend/store/newest-first';
import { splitAuditListQuery, type AuditListQuery, type Page } from '../../backend/store/port';
import { escapeLines, type AuditRow } from './rows';
import {
  ID_MAX,
  MAX_CHUNK,
  mergeDescending,
  scanDescending,
  type Statement,
  type StatementCache,
} from './scans';

/** The audit filter as SQL (see `conditions`). */
interface AuditConditions {
  /** By the index that could drive a scan; `rest`: no index. */
  where: Record<'summary' | 'author' | 'category' | 'rest', string[]>;
  params: Record<string, unknown>;
  /** Whether the conditions alone decide (else every candidate needs `compileAuditFilter`). */
  exact: boolean;
  /** The earliest instant that can match: `from`, or the retention floor. */
  floor?: string;
  to?: string;
  /** The author, lower-cased. */
  author?: string;
}

/** A way to scan: the union of index scans, each in id order. */
interface AuditDriver {
  kind: keyof AuditConditions['where'] | 'id';
  scans: { index: string; where: string; value?: string }[];
}

/**
 * The audit query planner of the SQLite store: the filtered list, the histogram and the top values of
 * the audit log, without reading the whole table for a filter that matches little. The plan is not
 * SQLite's own idea (a PostgreSQL adapter follows it in its dialect and with its indexes):
 *
 * 1. the filter as conditions, grouped by the index that could drive a scan — the events', the
 *    author's, the category's, or none (`conditions`);
 * 2. the ways to scan ("drivers"): along the id index, or the union of one index's scans for the
 *    filter's values (`drivers`);
 * 3. the driver whose scans see the fewest rows in the id range, counted up to a cap (`choose`);
 * 4. its scans read newest first, in growing chunks, merged by id, with every other condition in SQL
 *    (`scan`); `compileAuditFilter`, the filter's one definition, confirms each record.
 *
 * Ids are assigned in time order, so a time range is a range of ids too (`idBounds`).
 */
export class AuditPlanner {
  private readonly lastIdAtOrBefore: Statement;
  private readonly firstIdAtOrAfter: Statement;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    /** Up to how many index entries `choose` counts along each scan. */
    private readonly probeCap: number,
    /** The retention floor: records before it are gone. */
    private readonly purgedBefore: () => string | undefined,
  ) {
    // The address part of the audit filter, as the filter's one definition decides it.
    const matchers = new Map<string, (record: AuditRecord) => boolean>();
    db.function(
      'audit_ip_match',
      { deterministic: true },
      (ip: unknown, clientIp: unknown, proxyIp: unknown) => {
        let matcher = matchers.get(String(ip));
        if (!matcher) {
          if (matchers.size >= 100) matchers.clear();
          matcher = compileAuditFilter({ summary: [], ip: String(ip) });
          matchers.set(String(ip), matcher);
        }
        return matcher({ source: { clientIp, proxyIp } } as AuditRecord) ? 1 : 0;
      },
    );
    // The id range of a time range (the timestamps are checked again on every row).
    this.lastIdAtOrBefore = db
      .prepare(
        `SELECT max(id) FROM audit_records
         WHERE timestamp = (SELECT max(timestamp) FROM audit_records WHERE timestamp <= ?)`,
      )
      .pluck();
    this.firstIdAtOrAfter = db
      .prepare(
        `SELECT min(id) FROM audit_records
         WHERE timestamp = (SELECT min(timestamp) FROM audit_records WHERE timestamp >= ?)`,
      )
      .pluck();
  }

  /**
   * The filter as SQL conditions, by the index that could drive a scan (`rest`: no index). Every
   * condition means exactly what `compileAuditFilter` means (the author columns are lower-cased as
   * JavaScript does it; the addresses are matched by a function that runs the filter's own address
   * check), except the free text when it spans lines: `exact` is false then.
   */
  private conditions(filter: AuditFilter): AuditConditions {
    const conditions: AuditConditions = {
      where: { summary: [], author: [], category: [], rest: [] },
      params: {},
      exact: true,
    };
    const { where, params } = conditions;
    const purgedBefore = this.purgedBefore();
    const from = filter.from ? new Date(filter.from).toISOString() : undefined;
    conditions.floor = [from, purgedBefore].filter(Boolean).sort().at(-1);
    if (conditions.floor !== undefined) {
      where.rest.push('timestamp >= @floor');
      params.floor = conditions.floor;
    }
    if (filter.to) {
      conditions.to = new Date(filter.to).toISOString();
      where.rest.push('timestamp <= @to');
      params.to = conditions.to;
    }
    if (filter.category) {
      where.category.push('category = @category');
      params.category = filter.category;
    }
    if (filter.summary.length > 0) {
      where.summary.push(`summary IN (${filter.summary.map((_, i) => `@summary${i}`).join(', ')})`);
      filter.summary.forEach((summary, i) => (params[`summary${i}`] = summary));
    }
    if (filter.author) {
      conditions.author = filter.author.toLowerCase();
      where.author.push('(author_username_lc = @author OR author_display_name_lc = @author)');
      params.author = conditions.author;
    }
    if (filter.object) {
      where.rest.push('instr(objects, @object) > 0');
      params.object = `\n${escapeLines(filter.object)}\n`;
    }
    if (filter.ip) {
      where.rest.push('audit_ip_match(@ip, client_ip, proxy_ip)');
      params.ip = filter.ip;
    }
    if (filter.q) {
      // The texts are stored lower-cased, one per line: a query without a line break matches the
      // column exactly when it matches one of the texts.
      const q = filter.q.toLowerCase();
      where.rest.push('instr(search_text, @q) > 0');
      params.q = q;
      if (q.includes('\n')) conditions.exact = false;
    }
    return conditions;
  }

  /**
   * The range of ids that a time range can hold (null: none). Ids are assigned in time order, so the
   * instants bound the ids; every row's timestamp is checked again all the same.
   */
  private idBounds(c: AuditConditions): { hi: string; lo: string } | null {
    let hi = ID_MAX;
    let lo = '';
    if (c.to !== undefined) {
      const id = this.lastIdAtOrBefore.get(c.to) as string | null;
      if (id === null) return null;
      hi = id;
    }
    if (c.floor !== undefined) {
      const id = this.firstIdAtOrAfter.get(c.floor) as string | null;
      if (id === null) return null;
      lo = id;
    }
    return { hi, lo };
  }

  /**
   * The ways to scan for the filter, each a set of index scans in id order whose union holds every
   * match: along the id index, or the events', the author's or the category's index.
   */
  private drivers(filter: AuditFilter, c: AuditConditions): AuditDriver[] {
    const drivers: AuditDriver[] = [
      { kind: 'id', scans: [{ index: 'sqlite_autoindex_audit_records_1', where: '' }] },
    ];
    if (filter.category) {
      drivers.push({
        kind: 'category',
        scans: [{ index: 'audit_records_category', where: 'category = @driver', value: filter.category }],
      });
    }
    if (filter.summary.length > 0) {
      drivers.push({
        kind: 'summary',
        scans: [...new Set(filter.summary)].map((value) => ({
          index: 'audit_records_summary',
          where: 'summary = @driver',
          value,
        })),
      });
    }
    if (c.author !== undefined) {
      drivers.push({
        kind: 'author',
        scans: [
          { index: 'audit_records_author_username', where: 'author_username_lc = @driver', value: c.author },
          {
            index: 'audit_records_author_display_name',
            where: 'author_display_name_lc = @driver',
            value: c.author,
          },
        ],
      });
    }
    return drivers;
  }

  /**
   * The driver whose scans see the fewest ids in the range (counted along the index, up to a cap):
   * a rare event or author is not searched for along the whole table. `estimate` is the capped count.
   */
  private choose(
    drivers: AuditDriver[],
    range: string[],
    params: Record<string, unknown>,
  ): { driver: AuditDriver; estimate: number } {
    let best = { driver: drivers[0]!, estimate: Infinity };
    for (const driver of drivers) {
      let estimate = 0;
      for (const scan of driver.scans) {
        const where = [scan.where, ...range].filter(Boolean).join(' AND ');
        estimate += this.statements
          .get(
            `SELECT count(*) FROM (SELECT 1 FROM audit_records INDEXED BY ${scan.index}
           WHERE ${where} LIMIT ${this.probeCap})`,
          )
          .pluck()
          .get({ ...params, driver: scan.value }) as number;
      }
      if (estimate < best.estimate) best = { driver, estimate };
    }
    return best;
  }

  /**
   * The candidate rows of a driver, newest first (each scan in id order, merged), with every condition
   * but the driver's own (its scans apply it).
   */
  private scan(
    driver: AuditDriver,
    c: AuditConditions,
    range: string[],
    params: Record<string, unknown>,
    below: string,
    firstChunk: number,
  ): Iterable<AuditRow> {
    const shared = [
      ...range,
      ...Object.entries(c.where).flatMap(([kind, list]) => (kind === driver.kind ? [] : list)),
    ];
    const streams = driver.scans.map((scan) => {
      const statement = this.statements.get(
        `SELECT id, timestamp, summary, record_json FROM audit_records INDEXED BY ${scan.index}
         WHERE ${[...new Set([scan.where, ...shared, 'id < @below'])].filter(Boolean).join(' AND ')}
         ORDER BY id DESC LIMIT @chunk`,
      );
      return scanDescending<AuditRow>(statement, { ...params, driver: scan.value }, below, firstChunk);
    });
    return streams.length === 1 ? streams[0]! : mergeDescending(streams);
  }

  /**
   * SQL finds the matches — the id range (cursor, `after`, and the time range through the timestamp
   * index) and every filter — newest first, along the index that the filter makes cheapest to scan
   * (`choose`); `compileAuditFilter`, the filter's one definition, confirms every record.
   */
  list(query: AuditListQuery): Page<AuditRecord> {
    const { filter, cursor, after, limit } = splitAuditListQuery(query);
    const c = this.conditions(filter);
    const bounds = this.idBounds(c);
    if (!bounds) return { items: [], nextCursor: null };
    // One upper bound (the cursor or the range's end, whichever is lower): with two, SQLite ranges the
    // index on one and checks the other row by row, and deep pages get slower the deeper they are.
    const end = `${bounds.hi}\u0000`; // just above `hi`: id <= hi  ⇔  id < end
    const below = cursor !== undefined && cursor < end ? cursor : end;
    const params: Record<string, unknown> = { ...c.params, ...bounds, below };
    const range = ['id >= @lo', 'id < @below'];
    if (after !== undefined) {
      range.push('id > @after');
      params.after = after;
    }
    const drivers = this.drivers(filter, c);
    const { driver } = drivers.length > 1 ? this.choose(drivers, range, params) : { driver: drivers[0]! };

    const matches = compileAuditFilter(filter);
    const items: AuditRecord[] = [];
    const firstChunk = c.exact ? limit + 1 : Math.max(limit + 1, 256);
    for (const row of this.scan(driver, c, range, params, below, firstChunk)) {
      const record = JSON.parse(row.record_json) as AuditRecord;
      if (!matches(record)) continue;
      items.push(record);
      if (items.length > limit) break;
    }
    return pageOf(items, limit);
  }

  /**
   * Bucket by bucket, `GROUP BY summary` over the timestamp index (which holds the summary: without
   * other filters the table itself is not read); when the filter is rare along another index
   * (fewer records than the probe cap), its few records are counted one by one instead.
   */
  histogram(filter: AuditFilter, starts: readonly number[]): Record<Outcome, number>[] {
    const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
    const first = starts[0];
    if (first === undefined) return counts;
    const c = this.conditions(filter);
    const bounds = this.idBounds(c);
    if (!bounds) return counts;
    const params: Record<string, unknown> = { ...c.params, ...bounds, below: ID_MAX };
    const range = ['id <= @hi', 'id >= @lo', 'timestamp >= @first'];
    params.first = new Date(first).toISOString();
    const drivers = this.drivers(filter, c);
    const chosen = this.choose(drivers, range, params);

    if (chosen.estimate < this.probeCap || !c.exact) {
      const matches = compileAuditFilter(filter);
      for (const row of this.scan(chosen.driver, c, range, params, ID_MAX, MAX_CHUNK)) {
        if (!c.exact && !matches(JSON.parse(row.record_json) as AuditRecord)) continue;
        const bucket = bucketOf(starts, Date.parse(row.timestamp));
        if (bucket >= 0) counts[bucket]![outcomeOf(row.summary as AuditEvent)]++;
      }
      return counts;
    }
    // No id range here: the index has no ids, and the timestamps bound the same records.
    const where = ['timestamp >= @first', 'timestamp < @end', ...Object.values(c.where).flat()].join(' AND ');
    const statement = this.statements.get(
      `SELECT summary, count(*) AS n FROM audit_records INDEXED BY audit_records_timestamp
       WHERE ${where} GROUP BY summary`,
    );
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      const rows = statement.all({
        ...params,
        first: new Date(start).toISOString(),
        end: next === undefined ? ID_MAX : new Date(next).toISOString(),
      }) as { summary: AuditEvent; n: number }[];
      for (const row of rows) counts[i]![outcomeOf(row.summary)] += row.n;
    });
    return counts;
  }

  /** `GROUP BY` the field's column; ties in the order of `localeCompare`, as the memory adapter has them. */
  topValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): { value: string; count: number }[] {
    const parsed = AuditFilterSchema.parse(filter);
    const c = this.conditions(parsed);
    const column = field === 'clientIp' ? 'client_ip' : 'details_username';
    let counts: { value: string; count: number }[];
    if (c.exact) {
      const where = [`${column} IS NOT NULL`, `${column} != ''`, ...Object.values(c.where).flat()].join(
        ' AND ',
      );
      counts = this.statements
        .get(
          `SELECT ${column} AS value, count(*) AS count FROM audit_records WHERE ${where} GROUP BY ${column}`,
        )
        .all(c.params) as { value: string; count: number }[];
    } else {
      const matches = compileAuditFilter(parsed);
      const byValue = new Map<string, number>();
      const rows = this.statements
        .get(`SELECT record_json FROM audit_records WHERE ${Object.values(c.where).flat().join(' AND ')}`)
        .pluck()
        .iterate(c.params) as IterableIterator<string>;
      for (const json of rows) {
        const record = JSON.parse(json) as AuditRecord;
        if (!matches(record)) continue;
        const value = field === 'clientIp' ? record.source.clientIp : record.details.username;
        if (value) byValue.set(value, (byValue.get(value) ?? 0) + 1);
      }
      counts = [...byValue].map(([value, count]) => ({ value, count }));
    }
    return counts.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, limit);
  }
}
