import { setImmediate as endOfTurn } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import type { AuditRecord } from '../../../contract/audit';
import { isDiskFull } from '../../../backend/http/problem';
import type { NewAuditRecord } from '../../../backend/store/port';
import type { PgAuditTexts } from './audit-texts';
import { inetOf } from './postgres-dialect';
import { insertRows } from './sql';
import { counterId, searchText } from '../rows';

/** The columns of `audit_records` (see postgres/migrations.ts), in the order of `auditRow`. */
export const AUDIT_COLUMNS = [
  'id',
  'timestamp',
  'category',
  'summary',
  'author_username_lc',
  'author_display_name_lc',
  'client_ip',
  'proxy_ip',
  'details_username',
  'objects',
  'search_text',
  'record_json',
  'client_inet',
  'proxy_inet',
] as const;
/**
 * A record as a row of `audit_records`: the author lower-cased as JavaScript does it, the affected
 * objects' ids and names as an array, the search texts as SQLite's store keeps them (rows.ts), and the
 * addresses as `inet` too.
 */
export function auditRow(r: AuditRecord): unknown[] {
  return [
    r.id,
    r.timestamp,
    r.category,
    r.summary,
    r.author.username === null ? null : r.author.username.toLowerCase(),
    r.author.displayName.toLowerCase(),
    r.source.clientIp,
    r.source.proxyIp,
    r.details.username ?? null,
    r.affectedObjects.flatMap((o) => [o.id, o.name]),
    searchText(r),
    JSON.stringify(r),
    inetOf(r.source.clientIp),
    inetOf(r.source.proxyIp),
  ];
}

/**
 * Inserts audit records and their pairs with their texts, in the caller's transaction (run it with
 * `PgAuditTexts.transaction`). `skipExisting`: a record whose id is there already is left as it is.
 * Returns how many records were inserted.
 */
export async function insertAuditRecords(
  client: PoolClient,
  texts: PgAuditTexts,
  records: readonly AuditRecord[],
  skipExisting = false,
): Promise<number> {
  const inserted = await insertRows(
    client,
    'audit_records',
    AUDIT_COLUMNS,
    records.map(auditRow),
    skipExisting ? 'id' : undefined,
  );
  await texts.add(client, records, skipExisting);
  return inserted;
}

/**
 * Gives ids out from the `counters` row of a kind, in the caller's transaction: the row stays locked
 * until it commits, so ids are given out in commit order (a reader that saw id N never misses a
 * smaller one committed later: the live banner counts records "after" an id) and never twice.
 */
export async function takeIds(client: PoolClient, kind: 'audit' | 'log', count: number): Promise<number> {
  const { rows } = await client.query<{ value: string }>(
    'UPDATE counters SET value = value + $1 WHERE name = $2 RETURNING value',
    [count, kind],
  );
  return Number(rows[0]!.value) - count;
}

interface Waiting {
  records: NewAuditRecord[];
  done: (stored: AuditRecord[]) => void;
  failed: (error: unknown) => void;
}

/**
 * How the PostgreSQL store writes audit records: those appended during one turn of the event loop are
 * inserted together, in one transaction, at its end (as the SQLite store does: a commit costs far more
 * than a record), one batch after another, so that ids follow call order. Each append resolves once its
 * records are committed, and rejects if they could not be (nothing is kept to retry: the request that
 * appended them is answered with the error, 503 on a full disk).
 */
export class PgAuditWriter {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private last: Promise<void> = Promise.resolve();
  /** Why the database cannot be written (its disk is full), since when; null while it can. */
  writeFailure: { reason: string; since: string } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly texts: PgAuditTexts,
  ) {}

  append(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((done, failed) => {
      this.waiting.push({ records, done, failed });
      if (this.scheduled) return;
      this.scheduled = true;
      this.last = this.last.then(() => endOfTurn()).then(() => this.writeBatch());
    });
  }

  /** Resolves once every record appended so far is written (or failed). */
  async idle(): Promise<void> {
    let last;
    do {
      last = this.last;
      await last;
    } while (last !== this.last);
  }

  private async writeBatch(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const count = batch.reduce((n, w) => n + w.records.length, 0);
    try {
      const stored = await this.texts.transaction(this.pool, async (client) => {
        let next = await takeIds(client, 'audit', count);
        const withIds = batch.map((w) => w.records.map((r) => ({ id: counterId('ar', ++next), ...r })));
        await insertAuditRecords(client, this.texts, withIds.flat());
        return withIds;
      });
      this.writeFailure = null;
      batch.forEach((w, i) => w.done(stored[i]!));
    } catch (error) {
      if (isDiskFull(error)) {
        this.writeFailure ??= {
          reason: 'the database server’s disk is full (53100)',
          since: new Date().toISOString(),
        };
      }
      for (const w of batch) w.failed(error);
    }
  }
}
