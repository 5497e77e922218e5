import type { Pool, PoolClient } from 'pg';
import type { AuditRecord } from '../../../contract/audit';
import type { AuditFilter } from '../../../contract/audit-query';
import type { Outcome } from '../../../contract/histogram';
import { type ClusterNode, type LogEntry, type LoggerConfig, type LogLevel } from '../../../contract/logging';
import type { Settings, SettingsInput } from '../../../contract/settings';
import type { User } from '../../../contract/users';
import {
  type AuditListQuery,
  type DataSet,
  type LevelRevert,
  type LogEntryListQuery,
  type NewAuditRecord,
  type NewIssue,
  type NewLogEntry,
  type Page,
  type Store,
  type StoredIssue,
  type StoredToken,
  type TokenChanges,
  type TokenListFilter,
} from '../../../backend/store/port';
import {
  logParams,
  toLevelRevert,
  toLoggers,
  toSettings,
  toToken,
  toUser,
  type LevelRevertRow,
  type SettingsRow,
  type TokenRow,
  type UserRow,
} from '../rows';
import type { SessionRecord } from '../sessions';
import type { SqlParams } from '../sql-dialect';
import { tokenListSql } from '../token-list';
import type { StoreChange } from '../../../backend/store/cached-store';
import { PgAuditReader } from './audit-reader';
import { PgLogEntries } from './log-entries';
import { PgRetention } from './retention';
import { idNumber, LOG_COLUMNS, TOKEN_COLUMNS, tokenRow, USER_COLUMNS, userRow } from './pg-rows';
import { PgNodes } from './nodes';
import { connectNode, type NodeLock } from './connect';
import { PgIssues, PgSessions } from './issues-and-sessions';
import { insertAuditRecords, PgAuditWriter } from './audit-writer';
import { PgAuditTexts } from './audit-texts';
import { MAX_TEXT_SCANS } from '../audit-texts';
import { positional, POSTGRES_DIALECT } from './postgres-dialect';
import { insertRows, readMeta, transaction, type Queryable } from './sql';

export interface PostgresStoreOptions {
  /**
   * The node this process serves as (default: the first of `nodes`, else node-1): a second process
   * for the same node of the database is refused.
   */
  node?: string;
  /** The cluster nodes this process adds if they are not there yet (default: a single `node-1`). */
  nodes?: string[];
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * In how many distinct texts at most a free text may be found to be read along their pairs (default
   * MAX_TEXT_SCANS). Tests only: 0 checks every record's texts, the path of a common text.
   */
  maxTextScans?: number;
}

export { HEARTBEAT_MS, NODE_DOWN_AFTER_MS } from './nodes';

/** Logger rows of this pseudo-node hold the levels configured on every node. */
const EVERY_NODE = '*';
const META = { demoSessionUsername: 'demo_session_username' };
/** Audit records made into rows and inserted at a time by `seed`. */
const SEED_SLICE = 20_000;

/**
 * The PostgreSQL storage adapter (node-postgres, a pool of connections): the same port, the same
 * behaviour as the SQLite store (the store contract suite runs on both), for installations that
 * outgrow one file. It caches nothing itself: the server reads it through `CachedStore`.
 *
 * The query rules are the SQLite store's (server/store/sql-dialect.ts, token-list.ts) in PostgreSQL's
 * dialect; PostgreSQL's planner picks the index (see postgres/migrations.ts for the ones audit search
 * has). Beyond the port it keeps what the server needs: passwords and browser sessions; `seed`
 * bulk-loads a data set (tests, benchmarks).
 */
export class PostgresStore implements Store {
  /**
   * Connects, and brings the schema up to date. Throws an error with a one-line message (without the
   * password) when the database cannot be reached or migrated.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const node = options.node ?? options.nodes?.[0] ?? 'node-1';
    const { pool, lock } = await connectNode(url, node, options.poolSize ?? 10);
    const store = new PostgresStore(pool, lock, options.maxTextScans ?? MAX_TEXT_SCANS);
    await store.ensureNodes(options.nodes ?? [node]);
    return store;
  }

  private readonly auditTexts = new PgAuditTexts();
  private readonly auditWriter: PgAuditWriter;
  private readonly auditReader: PgAuditReader;
  private readonly retention: PgRetention;
  private readonly logEntries: PgLogEntries;
  private readonly nodes: PgNodes;
  private readonly issues: PgIssues;
  private readonly sessions: PgSessions;

  private constructor(
    readonly pool: Pool,
    /** This process's hold on its node of the database (see NodeLock). */
    private readonly lock: NodeLock,
    maxTextScans: number,
  ) {
    this.auditWriter = new PgAuditWriter(pool, this.auditTexts);
    this.nodes = new PgNodes(pool);
    this.issues = new PgIssues(pool);
    this.sessions = new PgSessions(pool);
    this.retention = new PgRetention(pool, this.auditTexts);
    this.logEntries = new PgLogEntries(pool);
    this.auditReader = new PgAuditReader(pool, this.auditTexts, maxTextScans, () => this.retention.floor());
  }

  /** Drops what a change made elsewhere made stale here (see PgRetention.invalidate). */
  invalidate(change: StoreChange): void {
    this.retention.invalidate(change);
  }

  /** Writes what is under way, then closes the connections (which frees the database). */
  async close(): Promise<void> {
    await this.auditWriter.idle();
    await this.pool.end();
    await this.lock.release();
  }

  /**
   * Another process became this node while the database could not be reached (see NodeLock): told to
   * the listener (the server stops).
   */
  onNodeTaken(listener: (message: string) => void): void {
    this.lock.onTaken = listener;
  }

  /**
   * Runs a duty that must happen once in the whole installation (level reverts, audit retention) while
   * holding the PostgreSQL advisory lock named after it, which the transaction of a connection of the
   * pool holds until `work` is done: a node that finds the lock taken skips the duty (another node does
   * it). No election: the database decides, and a node that dies lets go of the lock with its
   * connection.
   */
  async exclusively(duty: string, work: () => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`atc duty: ${duty}`],
      );
      if (rows[0]?.locked) await work();
    } finally {
      await client.query('COMMIT').then(
        () => client.release(),
        (error: Error) => client.release(error),
      );
    }
  }

  /** Why the database cannot be written (its disk is full), since when; null while it can. */
  get writeFailure(): { reason: string; since: string } | null {
    const { lostSince } = this.lock;
    return (
      this.auditWriter.writeFailure ??
      (lostSince ? { reason: 'the database cannot be reached', since: lostSince } : null)
    );
  }

  private async rows<R>(sql: string, params: SqlParams, on: Queryable = this.pool): Promise<R[]> {
    const { text, values } = positional(sql, params);
    return (await on.query(text, values)).rows as R[];
  }

  private async setMeta(key: string, value: string | null): Promise<void> {
    if (value === null) await this.pool.query('DELETE FROM meta WHERE key = $1', [key]);
    else {
      await this.pool.query(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bulk load.

  /** Inserts a data set (users, tokens, audit records, nodes, loggers, log entries) in one transaction. */
  async seed(data: DataSet): Promise<void> {
    await this.auditWriter.idle();
    await this.auditTransaction(async (client) => {
      await insertRows(
        client,
        'users',
        USER_COLUMNS,
        data.users.map((u) => userRow(u, null)),
      );
      for (const node of data.nodes) await this.nodes.insert(node, client);
      await insertRows(client, 'tokens', TOKEN_COLUMNS, data.tokens.map(tokenRow));
      // Oldest first (the table and its indexes grow at their ends), a slice at a time (a large data
      // set's rows are not all made at once).
      const oldestFirst = data.auditRecords.toReversed();
      for (let start = 0; start < oldestFirst.length; start += SEED_SLICE) {
        await this.insertAuditRecords(client, oldestFirst.slice(start, start + SEED_SLICE));
      }
      await insertRows(client, 'log_entries', LOG_COLUMNS, data.logEntries.toReversed().map(logParams));
      const loggers = [
        ...data.loggers.map((l) => [EVERY_NODE, l.name, l.configuredLevel]),
        ...Object.entries(data.nodeLoggers ?? {}).flatMap(([node, list]) =>
          list.map((l) => [node, l.name, l.configuredLevel]),
        ),
      ];
      for (const [node, name, level] of loggers) await this.upsertLogger(node!, name!, level ?? null, client);
      // Ids go on after the newest of the data set.
      await client.query('UPDATE counters SET value = greatest(value, $1) WHERE name = $2', [
        idNumber(data.auditRecords[0]?.id),
        'audit',
      ]);
      await client.query('UPDATE counters SET value = greatest(value, $1) WHERE name = $2', [
        idNumber(data.logEntries[0]?.id),
        'log',
      ]);
    });
    // The planner's statistics at once (autovacuum would take them later).
    await this.pool.query(
      'ANALYZE users, tokens, audit_records, audit_texts, audit_record_texts, log_entries',
    );
  }

  /**
   * Runs `work` in a transaction that writes audit records (`insertAuditRecords`): the text ids learnt
   * in it are forgotten if it rolls back. For `db:copy`.
   */
  async auditTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.auditTexts.transaction(this.pool, work);
  }

  /**
   * Inserts audit records with their ids and their texts, in `auditTransaction`'s transaction;
   * `skipExisting`: a record that is there already is left as it is. Returns how many were inserted.
   */
  async insertAuditRecords(
    client: PoolClient,
    records: readonly AuditRecord[],
    skipExisting = false,
  ): Promise<number> {
    return insertAuditRecords(client, this.auditTexts, records, skipExisting);
  }

  /** Adds the nodes that are not there yet. */
  async ensureNodes(nodes: readonly string[]): Promise<void> {
    await transaction(this.pool, async (client) => {
      for (const node of nodes) await this.nodes.insert(node, client);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Users (and, beyond the port, their passwords).

  async listUsers(): Promise<User[]> {
    return (await this.pool.query<UserRow>('SELECT * FROM users ORDER BY seq')).rows.map(toUser);
  }
  async findUserByKey(key: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE key = $1', [key]);
    return rows[0] && toUser(rows[0]);
  }
  async findUserByUsername(username: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
    return rows[0] && toUser(rows[0]);
  }
  /** The groups of every user, each once, sorted by code point. */
  async listGroups(): Promise<string[]> {
    const { rows } = await this.pool.query<{ value: string }>(
      `SELECT DISTINCT g.value COLLATE "C" AS value
       FROM users CROSS JOIN LATERAL jsonb_array_elements_text(users.groups_json::jsonb) AS g (value)
       ORDER BY 1`,
    );
    return rows.map((row) => row.value);
  }
  /** Adds a user (an existing key or username is an error). */
  async insertUser(user: User, passwordHash: string | null = null): Promise<void> {
    await insertRows(this.pool, 'users', USER_COLUMNS, [userRow(user, passwordHash)]);
  }
  /** The user's password hash; null when there is no such user or the user has no password. */
  async getPasswordHash(username: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE username = $1',
      [username],
    );
    return rows[0]?.password_hash ?? null;
  }
  /** Sets (or, with null, removes) the user's password hash; false when there is no such user. */
  async setPassword(username: string, passwordHash: string | null): Promise<boolean> {
    const result = await this.pool.query('UPDATE users SET password_hash = $1 WHERE username = $2', [
      passwordHash,
      username,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Settings.

  async getSettings(): Promise<Settings> {
    const { rows } = await this.pool.query<SettingsRow>(
      'SELECT json, version, updated_at, updated_by FROM settings WHERE id = 1',
    );
    return toSettings(rows[0]);
  }
  /**
   * Compare-and-set in one statement (the row's lock decides between two saves): an update of the
   * expected version, or, for version 1, the first row.
   */
  async saveSettings(
    input: SettingsInput,
    expectedVersion: number,
    by: string,
    at: Date,
  ): Promise<Settings | null> {
    const version = expectedVersion + 1;
    const updatedAt = at.toISOString();
    const values = [JSON.stringify(input), version, updatedAt, by, expectedVersion];
    let saved = await this.pool.query(
      `UPDATE settings SET json = $1, version = $2, updated_at = $3, updated_by = $4
       WHERE id = 1 AND version = $5`,
      values,
    );
    if (saved.rowCount === 0 && expectedVersion === 1) {
      saved = await this.pool.query(
        `INSERT INTO settings (id, json, version, updated_at, updated_by) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING`,
        values.slice(0, 4),
      );
    }
    if (saved.rowCount === 0) return null;
    return { ...structuredClone(input), version, updatedAt, updatedBy: by };
  }

  // -------------------------------------------------------------------------------------------
  // Tokens.

  async findTokenByHash(secretHash: string): Promise<StoredToken | undefined> {
    return this.oneToken('SELECT * FROM tokens WHERE secret_hash = $1 OR previous_secret_hash = $1', [
      secretHash,
    ]);
  }
  async recordTokenUse(tokenId: string, at: string, clientIp: string): Promise<void> {
    await this.pool.query(
      'UPDATE tokens SET last_used_at = $1, last_used_ms = $2, last_used_ip = $3 WHERE id = $4',
      [at, Date.parse(at), clientIp, tokenId],
    );
  }
  async listTokens(filter: TokenListFilter): Promise<{ items: StoredToken[]; total: number }> {
    const { where, orderBy, params } = tokenListSql(filter, POSTGRES_DIALECT);
    const [count] = await this.rows<{ n: string }>(`SELECT count(*) AS n FROM tokens ${where}`, params);
    const rows = await this.rows<TokenRow>(
      `SELECT * FROM tokens ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`,
      { ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize },
    );
    return { items: rows.map(toToken), total: Number(count!.n) };
  }
  async getToken(id: string): Promise<StoredToken | undefined> {
    return this.oneToken('SELECT * FROM tokens WHERE id = $1', [id]);
  }
  private async oneToken(sql: string, values: unknown[]): Promise<StoredToken | undefined> {
    const { rows } = await this.pool.query<TokenRow>(sql, values);
    return rows[0] && toToken(rows[0]);
  }
  async insertToken(token: StoredToken): Promise<void> {
    const result = await this.pool.query(
      `INSERT INTO tokens (${TOKEN_COLUMNS.join(', ')})
       VALUES (${TOKEN_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (id) DO NOTHING`,
      tokenRow(token),
    );
    if (result.rowCount === 0) throw new Error(`Token ${token.id} exists already`);
  }
  /** One statement: only the columns of the fields given change (an expiry may change to none). */
  async updateToken(id: string, changes: TokenChanges): Promise<StoredToken | undefined> {
    const set: string[] = [];
    const params: SqlParams = { id };
    if (changes.description !== undefined) {
      set.push('description = @description', 'description_lc = @descriptionLc');
      params.description = changes.description;
      params.descriptionLc = changes.description.toLowerCase();
    }
    if (changes.expiresAt !== undefined) {
      set.push('expires_at = @expiresAt', 'expires_ms = @expiresMs');
      params.expiresAt = changes.expiresAt;
      params.expiresMs = changes.expiresAt === null ? null : Date.parse(changes.expiresAt);
    }
    if (changes.ipRestrictions !== undefined) {
      set.push('ip_restrictions_json = @ipRestrictions');
      params.ipRestrictions = JSON.stringify(changes.ipRestrictions);
    }
    if (set.length === 0) return this.getToken(id);
    const [row] = await this.rows<TokenRow>(
      `UPDATE tokens SET ${set.join(', ')} WHERE id = @id RETURNING *`,
      params,
    );
    return row && toToken(row);
  }
  async rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): Promise<StoredToken | undefined> {
    // The right-hand sides read the row as it was: the current secret becomes the previous one.
    return this.oneToken(
      `UPDATE tokens SET
         previous_secret_hash = CASE WHEN $3::text IS NULL THEN NULL ELSE secret_hash END,
         previous_secret_expires_at = $3,
         secret_hash = $2
       WHERE id = $1 RETURNING *`,
      [id, secretHash, previousSecretExpiresAt],
    );
  }
  async deleteToken(id: string): Promise<StoredToken | undefined> {
    return this.oneToken('DELETE FROM tokens WHERE id = $1 RETURNING *', [id]);
  }
  async deleteTokensOfUser(ownerKey: string): Promise<StoredToken[]> {
    const { rows } = await this.pool.query<TokenRow>(
      'WITH deleted AS (DELETE FROM tokens WHERE owner_key = $1 RETURNING *) SELECT * FROM deleted ORDER BY seq',
      [ownerKey],
    );
    return rows.map(toToken);
  }

  // -------------------------------------------------------------------------------------------
  // Audit records.

  /** Each append resolves once its records are committed: see PgAuditWriter. */
  async appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    return this.auditWriter.append(records);
  }

  /** Newest first: keyset paging by id; PostgreSQL chooses the index (PgAuditReader). */
  async listAuditRecords(query: AuditListQuery): Promise<Page<AuditRecord>> {
    return this.auditReader.list(query);
  }

  async getAuditRecord(id: string): Promise<AuditRecord | undefined> {
    return this.auditReader.get(id);
  }

  async auditHistogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    return this.auditReader.histogram(filter, starts);
  }

  async auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    return this.auditReader.topValues(filter, field, limit);
  }

  /** Retention (PgRetention): the floor first, then the records, their pairs and orphan texts. */
  async purgeAuditRecords(before: string): Promise<void> {
    await this.retention.purge(before);
  }

  // -------------------------------------------------------------------------------------------
  // Logging.

  /** The cluster's nodes, their state and heartbeats (PgNodes). */
  async listNodes(): Promise<ClusterNode[]> {
    return this.nodes.list();
  }
  async registerNode(node: { id: string; address: string; version: string }): Promise<void> {
    await this.nodes.register(node);
  }
  async heartbeat(id: string): Promise<void> {
    await this.nodes.heartbeat(id);
  }
  async nodeStopped(id: string): Promise<void> {
    await this.nodes.stopped(id);
  }

  async listLoggers(node: string): Promise<LoggerConfig[]> {
    // The levels of every node first, then the node's own (which override them in place).
    const { rows } = await this.pool.query<{ name: string; level: LogLevel | null }>(
      'SELECT name, level FROM loggers WHERE node = $1 OR node = $2 ORDER BY node = $2, seq',
      [EVERY_NODE, node],
    );
    return toLoggers(rows);
  }
  async setLoggerLevel(node: string, name: string, level: LogLevel | null): Promise<void> {
    await this.upsertLogger(node, name, level, this.pool);
  }
  private async upsertLogger(node: string, name: string, level: string | null, on: Queryable) {
    await on.query(
      `INSERT INTO loggers (node, name, level) VALUES ($1, $2, $3)
       ON CONFLICT (node, name) DO UPDATE SET level = excluded.level`,
      [node, name, level],
    );
  }
  async listLevelReverts(): Promise<LevelRevert[]> {
    const { rows } = await this.pool.query<LevelRevertRow>(
      'SELECT name, revert_at, previous_json, set_by FROM level_reverts ORDER BY seq',
    );
    return rows.map(toLevelRevert);
  }
  async setLevelRevert(name: string, revert: LevelRevert | null): Promise<void> {
    if (revert) {
      await this.pool.query(
        `INSERT INTO level_reverts (name, revert_at, previous_json, set_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET revert_at = excluded.revert_at,
           previous_json = excluded.previous_json, set_by = excluded.set_by`,
        [name, revert.revertAt, JSON.stringify(revert.previous), revert.setBy],
      );
    } else {
      await this.pool.query('DELETE FROM level_reverts WHERE name = $1', [name]);
    }
  }

  /** The log lines the nodes copy here (PgLogEntries). */
  async appendLogEntries(entries: NewLogEntry[]): Promise<void> {
    await this.logEntries.append(entries);
  }
  async trimLogEntries(keep: number): Promise<void> {
    await this.logEntries.trim(keep);
  }
  async listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    return this.logEntries.list(query);
  }

  // -------------------------------------------------------------------------------------------
  // Issues.

  async createIssue(issue: NewIssue): Promise<StoredIssue> {
    return this.issues.create(issue);
  }
  async findIssue(idOrKey: string): Promise<StoredIssue | undefined> {
    return this.issues.find(idOrKey);
  }

  // -------------------------------------------------------------------------------------------
  // Demo session (the server does not use it).

  async getDemoSessionUsername(): Promise<string | null> {
    return (await readMeta(this.pool, META.demoSessionUsername)) ?? null;
  }
  async setDemoSessionUsername(username: string | null): Promise<void> {
    await this.setMeta(META.demoSessionUsername, username);
  }

  // -------------------------------------------------------------------------------------------
  // Browser sessions.

  async createSession(session: SessionRecord): Promise<void> {
    await this.sessions.create(session);
  }
  async findSession(idHash: string, now?: Date): Promise<SessionRecord | undefined> {
    return this.sessions.find(idHash, now);
  }
  async deleteSession(idHash: string): Promise<boolean> {
    return this.sessions.delete(idHash);
  }
  async purgeSessions(now: Date | string): Promise<number> {
    return this.sessions.purge(now);
  }
}
