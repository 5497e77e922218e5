import type { AuditRecord } from '../../contract/audit';
import type { PostgresStore } from './postgres/postgres-store';
import { idNumber, TOKEN_COLUMNS, tokenRow, USER_COLUMNS, userRow } from './postgres/pg-rows';
import { AUDIT_COLUMNS } from './postgres/audit-writer';
import { insertRows, rowsPerStatement } from './postgres/sql';
import { toToken, toUser, type TokenRow, type UserRow } from './rows';
import type { SqliteStore } from './sqlite-store';

/** The tables `copySqliteToPostgres` copies, in the order it copies them (sessions need their users). */
export const COPIED_TABLES = ['users', 'settings', 'tokens', 'sessions', 'issues', 'audit_records'] as const;
export type CopiedTable = (typeof COPIED_TABLES)[number];

/** Marks a PostgreSQL database as the copy of a SQLite file (its `meta` row): a copy resumes only there. */
const COPIED_FROM = 'copied_from';
/** Audit records per transaction of the copy: one multi-row INSERT (the parameter limit's worth). */
export const AUDIT_COPY_BATCH = rowsPerStatement(AUDIT_COLUMNS);

const SESSION_COLUMNS = ['id_hash', 'user_key', 'csrf_token', 'created_at', 'expires_at'];
const SETTINGS_COLUMNS = ['id', 'json', 'version', 'updated_at', 'updated_by'];
const ISSUE_COLUMNS = [
  'id',
  'key',
  'project_key',
  'number',
  'issue_type_id',
  'summary',
  'description',
  'reporter_key',
  'reporter_username',
  'created_at',
];

export interface CopyProgress {
  /** Audit records copied by this run so far, and how many the file holds in all. */
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** What the source is called in the target's mark (its absolute path). */
  sourceName: string;
  /** Audit records per transaction (default AUDIT_COPY_BATCH). */
  batch?: number;
  /** Called after each transaction of audit records. */
  onProgress?: (progress: CopyProgress) => void;
  /** Stops after the transaction under way (what is committed stays: a later run goes on from there). */
  signal?: AbortSignal;
}

export interface CopyReport {
  /** Rows this run inserted, per table. */
  copied: Record<CopiedTable, number>;
  /** Rows per table in the file and in the database once done. */
  counts: Record<CopiedTable, { sqlite: number; postgres: number }>;
  /** Whether the run was stopped (by `signal`) before it was done. */
  stopped: boolean;
}

/**
 * Copies an installation's data from its SQLite store to a PostgreSQL store: users (with their
 * passwords), the settings, tokens (with a rotation's previous secret), browser sessions, issues and
 * audit records, keeping every key and id, and the audit id counter and retention floor. Log entries
 * stay in the log file; logger levels are the start levels of the next start.
 *
 * Idempotent: a row whose key is in the database already is left alone, and the audit records (the
 * bulk of it) are copied oldest first, in transactions, after the newest one the database holds, so a
 * run that was stopped goes on where it was. The database must be empty or a copy of this file (its
 * `meta` says which): copying into an installation's own data would mix two audit logs' ids.
 * `counts` tells whether every row arrived.
 */
export async function copySqliteToPostgres(
  source: SqliteStore,
  target: PostgresStore,
  options: CopyOptions,
): Promise<CopyReport> {
  const db = source.db;
  const pool = target.pool;
  await claimTarget(target, options.sourceName);
  const copied = Object.fromEntries(COPIED_TABLES.map((t) => [t, 0])) as Record<CopiedTable, number>;

  const users = db.prepare('SELECT * FROM users ORDER BY rowid').all() as (UserRow & {
    password_hash: string | null;
  })[];
  copied.users = await insertRows(
    pool,
    'users',
    USER_COLUMNS,
    users.map((row) => userRow(toUser(row), row.password_hash)),
    'key',
  );
  const settings = db
    .prepare(`SELECT ${SETTINGS_COLUMNS.join(', ')} FROM settings`)
    .raw()
    .all() as unknown[][];
  copied.settings = await insertRows(pool, 'settings', SETTINGS_COLUMNS, settings, 'id');
  const tokens = db.prepare('SELECT * FROM tokens ORDER BY rowid').all() as TokenRow[];
  copied.tokens = await insertRows(
    pool,
    'tokens',
    TOKEN_COLUMNS,
    tokens.map((row) => tokenRow(toToken(row))),
    'id',
  );
  const sessions = db
    .prepare(`SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions`)
    .raw()
    .all() as unknown[][];
  copied.sessions = await insertRows(pool, 'sessions', SESSION_COLUMNS, sessions, 'id_hash');
  const issues = db
    .prepare(`SELECT ${ISSUE_COLUMNS.join(', ')} FROM issues ORDER BY id`)
    .raw()
    .all() as unknown[][];
  copied.issues = await insertRows(pool, 'issues', ISSUE_COLUMNS, issues, 'id');

  // Ids never given out twice (the file's counter outlives purged records), and the retention floor.
  const meta = (key: string) =>
    db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  const lastId = [meta('audit_last_id'), db.prepare('SELECT max(id) FROM audit_records').pluck().get()]
    .filter((id): id is string => typeof id === 'string')
    .sort()
    .at(-1);
  const floor = meta('audit_purged_before');
  if (floor !== undefined) {
    await pool.query(
      `INSERT INTO meta (key, value) VALUES ('audit_purged_before', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value < excluded.value`,
      [floor],
    );
  }

  const stopped = await copyAuditRecords(source, target, options, lastId, (n) => (copied.audit_records += n));
  return { copied, counts: await countRows(source, target), stopped };
}

/**
 * The audit records after the newest the database holds, oldest first, a transaction per batch (which
 * also moves the id counter on): the next batch is read from the file while the database writes one.
 */
async function copyAuditRecords(
  source: SqliteStore,
  target: PostgresStore,
  options: CopyOptions,
  lastId: string | undefined,
  count: (inserted: number) => void,
): Promise<boolean> {
  const batchSize = options.batch ?? AUDIT_COPY_BATCH;
  const { rows } = await target.pool.query<{ id: string | null }>('SELECT max(id) AS id FROM audit_records');
  let after = rows[0]!.id ?? '';
  const total = source.db.prepare('SELECT count(*) FROM audit_records').pluck().get() as number;
  const next = source.db.prepare(
    'SELECT id, record_json FROM audit_records WHERE id > ? ORDER BY id LIMIT ?',
  );
  const counter = idNumber(lastId);
  let copied = 0;
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    const batch = next.all(after, batchSize) as { id: string; record_json: string }[];
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    const records = batch.map((row) => JSON.parse(row.record_json) as AuditRecord);
    await writing;
    if (options.signal?.aborted) break;
    writing = target
      .auditTransaction(async (client) => {
        const inserted = await target.insertAuditRecords(client, records, true);
        await client.query("UPDATE counters SET value = greatest(value, $1) WHERE name = 'audit'", [counter]);
        return inserted;
      })
      .then((inserted) => {
        copied += inserted;
        count(inserted);
        options.onProgress?.({ copied, total });
      });
  }
  await writing;
  if (options.signal?.aborted) return true;
  // The counter, also when there was no record left to copy (all of them purged).
  await target.pool.query("UPDATE counters SET value = greatest(value, $1) WHERE name = 'audit'", [counter]);
  // The planner's statistics for the new rows at once (autovacuum would take them later).
  if (copied > 0) await target.pool.query('ANALYZE audit_records');
  return false;
}

/**
 * Makes sure the database is empty or a copy of this file, and marks it as one. Refuses, with a
 * one-line message, a database that holds data of its own.
 */
async function claimTarget(target: PostgresStore, sourceName: string): Promise<void> {
  const { rows } = await target.pool.query<{ value: string | null; has_data: boolean }>(
    `SELECT (SELECT value FROM meta WHERE key = $1) AS value,
       EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM tokens) OR EXISTS (SELECT 1 FROM settings)
         OR EXISTS (SELECT 1 FROM audit_records) AS has_data`,
    [COPIED_FROM],
  );
  const { value, has_data: hasData } = rows[0]!;
  if (value === sourceName) return;
  if (value !== null) {
    throw new Error(`The database is a copy of ${value}, not of ${sourceName}: copy into an empty database.`);
  }
  if (hasData) {
    throw new Error(
      'The database holds data of its own (a server has run on it): copy into an empty database.',
    );
  }
  await target.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2)', [COPIED_FROM, sourceName]);
}

async function countRows(
  source: SqliteStore,
  target: PostgresStore,
): Promise<Record<CopiedTable, { sqlite: number; postgres: number }>> {
  const counts = {} as Record<CopiedTable, { sqlite: number; postgres: number }>;
  for (const table of COPIED_TABLES) {
    const sqlite = source.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const { rows } = await target.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = { sqlite, postgres: Number(rows[0]!.n) };
  }
  return counts;
}
