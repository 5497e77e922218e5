import type Database from 'better-sqlite3';
import type { AuditEvent, AuditRecord } from '../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../contract/audit-query';
import { bucketOf, outcomeOf, type Outcome } from '../../contract/histogram';
import { pageOf } from '../../backend/store/newest-first';
import { splitAuditListQuery, type AuditListQuery, type Page } from '../../backend/store/port';
import { MAX_TEXT_SCANS, type AuditTextIndex } from './audit-texts';
import { counterId, type AuditRow } from './rows';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { auditConditions, type AuditConditions } from './sql-dialect';
import {
  ID_MAX,
  MAX_CHUNK,
  mergeDescending,
  scanDescending,
  type Statement,
  type StatementCache,
} from './scans';

/** The filters that an index can drive a scan for (`id`: along the records' ids; `text`: the texts'). */
type DriverKind = 'id' | 'summary' | 'author' | 'category' | 'username' | 'object' | 'ip' | 'text';

/** The audit filter as SQL (the shared `auditConditions`), with what SQLite's own indexes need. */
interface SqliteAuditConditions extends AuditConditions {
  /** The free text, lower-cased. */
  q?: string;
  /** The first and last address key of the ip filter. */
  ipKeys?: [Buffer, Buffer];
}

/**
 * One index read newest first: its rows in the order of `key` (the record's id, or its sequence
 * number), joined to their record `a` when the index is another table's.
 */
interface AuditScan {
  index: string;
  join?: string;
  where: string;
  key: 'a.id' | 'o.record_id' | 'p.seq';
  value?: unknown;
  /** A range of an index whose rows are not in id order: each chunk reads and sorts the whole range. */
  unordered?: boolean;
  /**
   * Set by `choose`: its entries in the range, counted (`all`: the count did not reach its cap). A
   * merge reads a scan of a few entries whole, and leaves out one of none.
   */
  counted?: { entries: number; all: boolean };
}

/** A way to scan: the union of index scans, each newest first. */
interface AuditDriver {
  kind: DriverKind;
  scans: AuditScan[];
}

/** The id range of a scan: `@lo` ≤ id < `@below`, and id > `@after` when there is one. */
interface IdRange {
  after: boolean;
}

const RECORD_COLUMNS = 'a.id, a.timestamp, a.summary, a.record_json';
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * A bound on the sequence numbers for a bound on the ids: how many ids as they are given out
 * ('ar-' and nine digits: 'ar-000000042' is number 42) sort before `id`; `otherwise` when `id` is
 * not of that form (the ids are checked as well: this bound only spares the reading).
 */
function seqsBefore(id: string, otherwise: number): number {
  const match = /^ar-(\d{9})(?!\d)/.exec(id);
  return match ? Number(match[1]) + (id.length > 12 ? 1 : 0) : otherwise;
}

/**
 * The audit query planner of the SQLite store: the filtered list, the histogram and the top values of
 * the audit log, without reading the whole table for a filter that matches little. Every filter has an
 * index: the events', the author's, the category's, the username's (migration 5), the affected objects'
 * table and the address keys' (migration 4), and the distinct texts' (migration 7); a time range is a
 * range of ids. The plan is not SQLite's own idea (a PostgreSQL adapter follows it in its dialect and with its
 * indexes):
 *
 * 1. the filter as conditions, grouped by the index that could drive a scan (`conditions`);
 * 2. the ways to scan ("drivers"): the union of one index's scans for the filter's values, or along
 *    the id index (`drivers`);
 * 3. the driver whose scans see the fewest rows in the id range, counted up to a cap (`choose`);
 * 4. its scans read newest first, in growing chunks, merged by id, with every other condition in SQL
 *    (`scan`); `compileAuditFilter`, the filter's one definition, confirms each record.
 *
 * Ids are assigned in time order, so a time range is a range of ids too (`idBounds`).
 */
export class AuditPlanner {
  private readonly lastIdAtOrBefore: Statement;
  private readonly firstIdAtOrAfter: Statement;
  /** The newest record's sequence number plus one (1 when there is none). */
  private readonly newestSeq: Statement;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
    private readonly texts: AuditTextIndex,
    /** Up to how many index entries `choose` counts along each scan. */
    private readonly probeCap: number,
    /** The retention floor: records before it are gone. */
    private readonly purgedBefore: () => string | undefined,
  ) {
    db.function('audit_seqs_before', { deterministic: true }, (id: unknown, otherwise: unknown) =>
      seqsBefore(String(id), Number(otherwise)),
    );
    this.newestSeq = db
      .prepare(`SELECT coalesce(audit_seqs_before(max(id), 0), 0) + 1 FROM audit_records`)
      .pluck();
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
   * The filter as SQL conditions on the record `a`, by the index that could drive a scan
   * (`auditConditions`, shared with the PostgreSQL store), plus the free text and address keys that
   * SQLite's text index and address indexes are read with.
   */
  private conditions(filter: AuditFilter): SqliteAuditConditions {
    const conditions: SqliteAuditConditions = auditConditions(filter, this.purgedBefore(), SQLITE_DIALECT);
    const { params } = conditions;
    if (filter.ip) conditions.ipKeys = [params.ipFirst as Buffer, params.ipLast as Buffer];
    if (filter.q) conditions.q = filter.q.toLowerCase();
    return conditions;
  }

  /**
   * The range of ids that a time range can hold (null: none). Ids are assigned in time order, so the
   * instants bound the ids; every row's timestamp is checked again all the same.
   */
  private idBounds(c: SqliteAuditConditions): { hi: string; lo: string } | null {
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
   * The ways to scan for the filter, each a set of index scans whose union holds every match: along
   * an index of the filter's values, or (last) along the id index.
   */
  private drivers(filter: AuditFilter, c: SqliteAuditConditions): AuditDriver[] {
    const drivers: AuditDriver[] = [];
    const records = (index: string) => `audit_records AS a INDEXED BY ${index}`;
    // The records of the distinct texts that hold the free text (none: no record holds it).
    const texts = c.q === undefined ? null : this.texts.textsContaining(c.q, MAX_TEXT_SCANS);
    if (texts) {
      drivers.push({
        kind: 'text',
        scans: texts.map((id) => ({
          index: 'audit_record_texts AS p INDEXED BY audit_record_texts_text',
          join: `CROSS JOIN audit_records AS a ON a.id = printf('ar-%09d', p.seq)`,
          where: 'p.text_id = @driver',
          key: 'p.seq',
          value: id,
        })),
      });
    }
    if (filter.object) {
      drivers.push({
        kind: 'object',
        scans: [
          {
            index: 'audit_objects AS o',
            join: 'CROSS JOIN audit_records AS a ON a.id = o.record_id',
            where: 'o.value = @driver',
            key: 'o.record_id',
            value: filter.object,
          },
        ],
      });
    }
    if (c.ipKeys) {
      // One address: its rows are in id order in the index; a range of addresses: they are not.
      const single = c.ipKeys[0].equals(c.ipKeys[1]);
      drivers.push({
        kind: 'ip',
        scans: (['client', 'proxy'] as const).map((side) => ({
          index: records(`audit_records_${side}_ip`),
          where: single ? `${side}_ip_key = @ipFirst` : `${side}_ip_key BETWEEN @ipFirst AND @ipLast`,
          key: 'a.id',
          unordered: !single,
        })),
      });
    }
    if (c.author !== undefined) {
      drivers.push({
        kind: 'author',
        scans: [
          {
            index: records('audit_records_author_username'),
            where: 'author_username_lc = @driver',
            key: 'a.id',
            value: c.author,
          },
          {
            index: records('audit_records_author_display_name'),
            where: 'author_display_name_lc = @driver',
            key: 'a.id',
            value: c.author,
          },
        ],
      });
    }
    if (filter.username) {
      drivers.push({
        kind: 'username',
        scans: [
          {
            index: records('audit_records_details_username'),
            where: 'details_username = @driver',
            key: 'a.id',
            value: filter.username,
          },
        ],
      });
    }
    if (filter.summary.length > 0) {
      drivers.push({
        kind: 'summary',
        scans: [...new Set(filter.summary)].map((value) => ({
          index: records('audit_records_summary'),
          where: 'summary = @driver',
          key: 'a.id',
          value,
        })),
      });
    }
    if (filter.category) {
      drivers.push({
        kind: 'category',
        scans: [
          {
            index: records('audit_records_category'),
            where: 'category = @driver',
            key: 'a.id',
            value: filter.category,
          },
        ],
      });
    }
    drivers.push({
      kind: 'id',
      scans: [{ index: records('sqlite_autoindex_audit_records_1'), where: '', key: 'a.id' }],
    });
    return drivers;
  }

  /**
   * The driver whose scans see the fewest ids in the range (counted along the index, up to a cap for
   * the driver, its scans together; an index scan before the id index when both reach it, as it never
   * reads more rows). A range of
   * addresses that reaches the cap (in all, not only in the id range) is not chosen: each of its
   * chunks would sort the whole range.
   * `estimate` is the capped count.
   */
  private choose(
    drivers: AuditDriver[],
    range: IdRange,
    params: Record<string, unknown>,
  ): { driver: AuditDriver; estimate: number } {
    let best = { driver: drivers.at(-1)!, estimate: Infinity };
    for (const driver of drivers) {
      let estimate = 0;
      const counted = new Map<AuditScan, AuditScan['counted']>();
      for (const scan of driver.scans) {
        // No need to count beyond the best so far (NaN once this driver is out of the running).
        const cap = Math.min(this.probeCap, best.estimate - estimate);
        if (!(cap > 0)) break;
        // A range of addresses is counted whole: within it the ids are in no order, and counting only
        // those in the id range could read the whole range.
        const bounds = scan.unordered ? [] : keyRange(scan.key, range);
        const where = [scan.where, ...bounds].filter(Boolean).join(' AND ');
        const count = this.statements
          .get(`SELECT count(*) FROM (SELECT 1 FROM ${scan.index} WHERE ${where} LIMIT @cap)`)
          .pluck()
          .get({ ...params, driver: scan.value, cap }) as number;
        counted.set(scan, { entries: count, all: count < cap });
        estimate += scan.unordered && count >= this.probeCap ? Infinity : count;
      }
      // Past the cap the counts say nothing more: a driver of several scans that together pass it
      // does not lose to the id index, which reaches the cap too (merged, its scans read no more rows).
      if (estimate !== Infinity) estimate = Math.min(estimate, this.probeCap);
      if (estimate < best.estimate) {
        // The fullest scan first: the merge reads the others only down to the rows it found.
        const scans = driver.scans
          .map((scan) => ({ ...scan, counted: counted.get(scan) }))
          .toSorted((a, b) => (b.counted?.entries ?? 0) - (a.counted?.entries ?? 0));
        best = { driver: { ...driver, scans }, estimate };
      }
    }
    return best;
  }

  /**
   * The candidate rows of a driver, newest first (each scan in id order, merged), with every condition
   * but the driver's own (its scans apply it).
   */
  private scan(
    driver: AuditDriver,
    c: SqliteAuditConditions,
    range: IdRange,
    params: Record<string, unknown>,
    firstChunk: number,
  ): Iterable<AuditRow> {
    const others = Object.entries(c.where).flatMap(([kind, list]) => (kind === driver.kind ? [] : list));
    // A scan with no entry in the range is left out; none (a free text in no text) merges into nothing.
    const scanned = driver.scans.filter((scan) => !(scan.counted?.all && scan.counted.entries === 0));
    const merged = scanned.length !== 1;
    const scans = scanned.map((scan) => {
      const where = [
        scan.where,
        ...keyRange(scan.key, range, merged),
        // The record's id too, when the scan's key is another table's.
        ...(scan.key === 'a.id' ? [] : keyRange('a.id', range)),
        ...others,
      ].filter(Boolean);
      const statement = this.statements.get(
        `SELECT ${RECORD_COLUMNS} FROM ${scan.index} ${scan.join ?? ''}
         WHERE ${where.join(' AND ')} ORDER BY ${scan.key} DESC LIMIT @chunk`,
      );
      // A scan of fewer entries than the cap is read whole: that costs no more than those entries.
      const bounded = !scan.counted?.all;
      return { statement, params: { ...params, driver: scan.value }, bounded };
    });
    const below = params.below as string;
    return merged
      ? mergeDescending<AuditRow>(scans, below, firstChunk, (id, width) => this.idBelow(id, width))
      : scanDescending<AuditRow>(scans[0]!.statement, scans[0]!.params, below, firstChunk);
  }

  /**
   * The id `width` records below `id` (ids are given out one by one: 'ar-' and the sequence number),
   * for the windows of a merge; undefined below the first record. An id past every record's (the
   * end of the range) counts from the newest record.
   */
  private idBelow(id: string, width: number): string | undefined {
    const seqs = seqsBefore(id, NaN);
    const from = Number.isNaN(seqs) ? (this.newestSeq.get() as number) : seqs;
    return from - width > 0 ? counterId('ar', from - width) : undefined;
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
    const params: Record<string, unknown> = { ...c.params, lo: bounds.lo, below };
    if (after !== undefined) params.after = after;
    const range = { after: after !== undefined };
    const { driver } = this.choose(this.drivers(filter, c), range, params);

    const matches = compileAuditFilter(filter);
    const items: AuditRecord[] = [];
    const firstChunk = c.exact ? limit + 1 : Math.max(limit + 1, 256);
    for (const row of this.scan(driver, c, range, params, firstChunk)) {
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
    // Records before the first bucket are not counted: the range starts there.
    const firstIso = new Date(first).toISOString();
    const c = this.conditions({
      ...filter,
      from: filter.from && filter.from > firstIso ? filter.from : firstIso,
    });
    const bounds = this.idBounds(c);
    if (!bounds) return counts;
    const params: Record<string, unknown> = { ...c.params, lo: bounds.lo, below: `${bounds.hi}\u0000` };
    const range = { after: false };
    const chosen = this.choose(this.drivers(filter, c), range, params);

    if (chosen.estimate < this.probeCap || !c.exact) {
      const matches = compileAuditFilter(filter);
      for (const row of this.scan(chosen.driver, c, range, params, MAX_CHUNK)) {
        if (!c.exact && !matches(JSON.parse(row.record_json) as AuditRecord)) continue;
        const bucket = bucketOf(starts, Date.parse(row.timestamp));
        if (bucket >= 0) counts[bucket]![outcomeOf(row.summary as AuditEvent)]++;
      }
      return counts;
    }
    // No id range here: the index has no ids, and the timestamps bound the same records.
    const where = ['timestamp >= @first', 'timestamp < @end', ...Object.values(c.where).flat()].join(' AND ');
    const statement = this.statements.get(
      `SELECT summary, count(*) AS n FROM audit_records AS a INDEXED BY audit_records_timestamp
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
          `SELECT ${column} AS value, count(*) AS count FROM audit_records AS a WHERE ${where} GROUP BY ${column}`,
        )
        .all(c.params) as { value: string; count: number }[];
    } else {
      const matches = compileAuditFilter(parsed);
      const byValue = new Map<string, number>();
      const rows = this.statements
        .get(
          `SELECT record_json FROM audit_records AS a WHERE ${Object.values(c.where).flat().join(' AND ')}`,
        )
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

/**
 * The id range as conditions on a scan's key (on sequence numbers, bounds taken from the ids): one
 * lower bound and one upper bound, so that SQLite ranges the index on both (with two lower bounds it
 * ranges on one and checks the other row by row, and a scan newest first reads on to the bottom).
 * The lower bound is the range's, `@after`'s and, for a merged scan, `@above`'s (mergeDescending),
 * whichever is highest: `key > x` is `key >= x || char(0)`.
 */
function keyRange(key: AuditScan['key'], range: IdRange, merged = false): string[] {
  const lows = [
    '@lo',
    ...(range.after ? ['@after || char(0)'] : []),
    ...(merged ? ['@above || char(0)'] : []),
  ];
  const low = lows.length === 1 ? lows[0]! : `max(${lows.join(', ')})`;
  if (key === 'p.seq') {
    return [`p.seq >= audit_seqs_before(${low}, 0)`, `p.seq < audit_seqs_before(@below, ${MAX_SEQ})`];
  }
  return [`${key} >= ${low}`, `${key} < @below`];
}
