import type { Pool } from 'pg';
import { matchesLogEntry, type LogEntry } from '../../../contract/logging';
import { pageOf } from '../../../backend/store/newest-first';
import type { LogEntryListQuery, NewLogEntry, Page } from '../../../backend/store/port';
import { counterId, logParams } from '../rows';
import { ID_MAX, MAX_CHUNK } from '../scans';
import { logEntryConditions } from '../sql-dialect';
import { takeIds } from './audit-writer';
import { LOG_COLUMNS } from './pg-rows';
import { positional, POSTGRES_DIALECT } from './postgres-dialect';
import { PURGE_BATCH } from './retention';
import { insertRows, transaction } from './sql';

/**
 * The log lines every node copies into the database (decision 0015): appended in a transaction, read
 * newest first with the Log entries filters, and trimmed to the newest ones.
 */
export class PgLogEntries {
  constructor(private readonly pool: Pool) {}

  async append(entries: NewLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await transaction(this.pool, async (client) => {
      let next = await takeIds(client, 'log', entries.length);
      const rows = entries.map((entry) => logParams({ id: counterId('le', ++next), ...entry }));
      await insertRows(client, 'log_entries', LOG_COLUMNS, rows);
    });
  }

  /**
   * Keeps the newest `keep` log lines the nodes copied here and deletes the older ones, in batches
   * (the shipped lines must not grow without bound; each node's log file is its own to rotate).
   */
  async trim(keep: number): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM log_entries ORDER BY id DESC OFFSET $1 LIMIT 1',
      [keep],
    );
    const newestGone = rows[0]?.id;
    if (newestGone === undefined) return;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM log_entries WHERE id IN
           (SELECT id FROM log_entries WHERE id <= $1 ORDER BY id LIMIT ${PURGE_BATCH})`,
        [newestGone],
      );
      if ((rowCount ?? 0) < PURGE_BATCH) return;
    }
  }

  async list(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    const { where, params } = logEntryConditions(filter, POSTGRES_DIALECT);
    const sql = `SELECT id, record_json FROM log_entries WHERE ${[...where, 'id < @below'].join(' AND ')}
      ORDER BY id DESC LIMIT @chunk`;
    const items: LogEntry[] = [];
    const limit = query.limit;
    let below = query.cursor ?? ID_MAX;
    let chunk = limit + 1;
    for (;;) {
      const { text, values } = positional(sql, { ...params, below, chunk });
      const { rows } = await this.pool.query<{ id: string; record_json: string }>(text, values);
      for (const row of rows) {
        const entry = JSON.parse(row.record_json) as LogEntry;
        if (!matchesLogEntry(entry, filter)) continue;
        items.push(entry);
        if (items.length > limit) return pageOf(items, limit);
      }
      const last = rows.at(-1);
      if (rows.length < chunk || !last) return pageOf(items, limit);
      below = last.id;
      chunk = Math.min(chunk * 4, MAX_CHUNK);
    }
  }
}
