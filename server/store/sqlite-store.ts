import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as endOfTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { AuditRecord } from '../../contract/audit';
import type { AuditFilter } from '../../contract/audit-query';
import type { Outcome } from '../../contract/histogram';
import {
  matchesLogEntry,
  type ClusterNode,
  type LogEntry,
  type LoggerConfig,
  type LogLevel,
} from '../../contract/logging';
import type { Settings, SettingsInput } from '../../contract/settings';
import type { User } from '../../contract/users';
import { nextId, pageOf } from '../../backend/store/newest-first';
import {
  FIRST_ISSUE_ID,
  nodeKnownById,
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
} from '../../backend/store/port';
import { isDiskFull } from '../../backend/http/problem';
import { AuditPlanner } from './audit-planner';
import { migrate } from './migrations';
import {
  auditParams,
  ISSUE_ID,
  logParams,
  toIssue,
  toLevelRevert,
  toLoggers,
  tokenParams,
  toSettings,
  toToken,
  toUser,
  type IssueRow,
  type LevelRevertRow,
  type LogRow,
  type SettingsRow,
  type TokenRow,
  type UserRow,
} from './rows';
import { ID_MAX, scanDescending, StatementCache } from './scans';
import { SqliteSessions, type SessionRecord } from './sessions';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { logEntryConditions } from './sql-dialect';
import { tokenListSql } from './token-list';

export type { SessionRecord } from './sessions';

type Db = Database.Database;

export interface SqliteStoreOptions {
  /** The cluster nodes (default: a single `node-1`). */
  nodes?: string[];
  /**
   * Up to how many index entries an audit query counts to choose the index it scans along (default
   * 2,000). Tuning and tests only: a small cap exercises the scans that a large data set takes.
   */
  probeCap?: number;
  /** How long to wait for the file while another process has it (a server that is still stopping). */
  waitForLockMs?: number;
}

/** Logger rows of this pseudo-node hold the levels configured on every node. */
const EVERY_NODE = '*';

const META = {
  auditLastId: 'audit_last_id',
  auditPurgedBefore: 'audit_purged_before',
  logLastId: 'log_last_id',
  demoSessionUsername: 'demo_session_username',
  /** Written to see whether the database can be written again after a full disk. */
  writeProbe: 'write_probe',
} as const;

const DEFAULT_PROBE_CAP = 2_000;
/** Audit records per transaction (a turn's batch is written in one, a backlog in several). */
const AUDIT_WRITE_CHUNK = 1_000;
/** Audit records kept in memory while the disk is full. */
export const MAX_PENDING_AUDIT = 10_000;
const WRITE_RETRY_MS = 5_000;

/**
 * The SQLite storage adapter of the real server (better-sqlite3: each call finishes before its promise
 * is made, so the store stays as fast as a synchronous one). It caches nothing itself: the server reads
 * it through `CachedStore`.
 *
 * Beyond the port it keeps what only the server needs: password hashes (`insertUser`,
 * `getPasswordHash`, `setPassword`) and browser sessions (`createSession`, `findSession`,
 * `deleteSession`, `purgeSessions`); `seed` bulk-loads a data set (tests, benchmarks).
 */
export class SqliteStore implements Store {
  /**
   * Opens (or creates) the database file (':memory:' for a throwaway one) and brings its schema up to
   * date. The file is this process's alone while it is open: the store keeps settings, loggers and the
   * tokens it has found in memory, so another process's writes (a revoked token!) would go unseen.
   * SQLite's exclusive locking mode holds the lock on the file itself, whatever name it was opened by
   * (a symlink, a hard link, another mount), and the system drops it when the process ends. Throws an
   * error with a one-line message when the file is taken or cannot be written.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (path !== ':memory:') assertWritable(path);
    const db = new Database(path, { timeout: options.waitForLockMs ?? 5_000 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      // A write takes the exclusive lock (waiting for a server that is still stopping); it is held
      // until the store closes.
      db.exec('BEGIN IMMEDIATE; COMMIT');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(
          `Another server process uses ${path}. Run one server per database file, or give this one its own --db.`,
        );
      }
      throw error;
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const store = new SqliteStore(db, options);
    store.ensureNodes(options.nodes ?? ['node-1']);
    return store;
  }

  private readonly s: ReturnType<SqliteStore['prepareStatements']>;
  private readonly statements: StatementCache;
  private readonly audit: AuditPlanner;
  private readonly sessions: SqliteSessions;

  constructor(
    readonly db: Db,
    options: Pick<SqliteStoreOptions, 'probeCap'> = {},
  ) {
    migrate(db);
    // SQLite's lower() folds ASCII only; the filters are defined with JavaScript's toLowerCase.
    db.function('js_lower', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    this.s = this.prepareStatements();
    this.statements = new StatementCache(db);
    this.audit = new AuditPlanner(db, this.statements, options.probeCap ?? DEFAULT_PROBE_CAP, () =>
      this.getMeta(META.auditPurgedBefore),
    );
    this.sessions = new SqliteSessions(db);
  }

  close(): void {
    this.writePendingBeforeRead();
    if (this.pendingAudit.length > 0) {
      console.error(
        `${this.pendingAudit.length} audit records could not be written before closing ${this.db.name}.`,
      );
    }
    clearInterval(this.retry);
    // Lets SQLite refresh the statistics its query planner uses, as its documentation advises.
    this.db.pragma('optimize');
    this.db.close();
  }

  private prepareStatements() {
    const p = (sql: string) => this.db.prepare<unknown[], unknown>(sql);
    return {
      listUsers: p('SELECT * FROM users ORDER BY rowid'),
      userByKey: p('SELECT * FROM users WHERE key = ?'),
      userByUsername: p('SELECT * FROM users WHERE username = ?'),
      insertUser: p(
        `INSERT INTO users (key, username, display_name, email, groups_json, role, password_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      passwordHash: p('SELECT password_hash FROM users WHERE username = ?').pluck(),
      setPassword: p('UPDATE users SET password_hash = ? WHERE username = ?'),
      groups: p(
        'SELECT DISTINCT g.value FROM users, json_each(users.groups_json) AS g ORDER BY g.value',
      ).pluck(),

      settings: p('SELECT json, version, updated_at, updated_by FROM settings WHERE id = 1'),
      settingsVersion: p('SELECT version FROM settings WHERE id = 1').pluck(),
      saveSettings: p(
        `INSERT INTO settings (id, json, version, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json, version = excluded.version,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),

      tokenById: p('SELECT * FROM tokens WHERE id = ?'),
      tokenByHash: p('SELECT * FROM tokens WHERE secret_hash = @hash OR previous_secret_hash = @hash'),
      tokensOfOwner: p('SELECT * FROM tokens WHERE owner_key = ? ORDER BY rowid'),
      insertToken: p(
        `INSERT INTO tokens (id, owner_key, owner_username, description, scope, created_at, created_by,
           expires_at, last_used_at, last_used_ip, ip_restrictions_json, secret_hash,
           previous_secret_hash, previous_secret_expires_at, created_ms, expires_ms, last_used_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      recordTokenUse: p(
        'UPDATE tokens SET last_used_at = ?, last_used_ms = ?, last_used_ip = ? WHERE id = ?',
      ),
      updateToken: p(
        `UPDATE tokens SET description = @description, expires_at = @expiresAt, expires_ms = @expiresMs,
           ip_restrictions_json = @ipRestrictions WHERE id = @id`,
      ),
      // The right-hand sides read the row as it was: the current secret becomes the previous one.
      rotateTokenSecret: p(
        `UPDATE tokens SET
           previous_secret_hash = CASE WHEN @previousExpiresAt IS NULL THEN NULL ELSE secret_hash END,
           previous_secret_expires_at = @previousExpiresAt,
           secret_hash = @secretHash
         WHERE id = @id`,
      ),
      deleteToken: p('DELETE FROM tokens WHERE id = ?'),
      deleteTokensOfOwner: p('DELETE FROM tokens WHERE owner_key = ?'),

      insertAudit: p(
        `INSERT INTO audit_records (id, timestamp, category, summary, author_username_lc,
           author_display_name_lc, client_ip, client_ip_key, proxy_ip_key, details_username,
           search_text, record_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      auditById: p('SELECT timestamp, record_json FROM audit_records WHERE id = ?'),
      maxAuditId: p('SELECT max(id) FROM audit_records').pluck(),
      purgeAudit: p('DELETE FROM audit_records WHERE timestamp < ?'),

      insertLog: p(
        'INSERT INTO log_entries (id, timestamp, level, logger, node, record_json) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      maxLogId: p('SELECT max(id) FROM log_entries').pluck(),

      listNodes: p('SELECT node FROM nodes ORDER BY rowid').pluck(),
      insertNode: p('INSERT OR IGNORE INTO nodes (node) VALUES (?)'),
      loggersOf: p(
        'SELECT node, name, level FROM loggers WHERE node = ? OR node = ? ORDER BY node = ?, rowid',
      ),
      setLogger: p(
        `INSERT INTO loggers (node, name, level) VALUES (?, ?, ?)
         ON CONFLICT (node, name) DO UPDATE SET level = excluded.level`,
      ),
      listReverts: p('SELECT name, revert_at, previous_json, set_by FROM level_reverts ORDER BY rowid'),
      setRevert: p(
        `INSERT INTO level_reverts (name, revert_at, previous_json, set_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET revert_at = excluded.revert_at,
           previous_json = excluded.previous_json, set_by = excluded.set_by`,
      ),
      deleteRevert: p('DELETE FROM level_reverts WHERE name = ?'),

      getMeta: p('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: p(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteMeta: p('DELETE FROM meta WHERE key = ?'),

      insertIssue: p(
        `INSERT INTO issues (id, key, project_key, number, issue_type_id, summary, description,
           reporter_key, reporter_username, created_at)
         VALUES (
           (SELECT coalesce(max(id) + 1, @firstId) FROM issues),
           @projectKey || '-' || (SELECT coalesce(max(number), 0) + 1 FROM issues WHERE project_key = @projectKey),
           @projectKey,
           (SELECT coalesce(max(number), 0) + 1 FROM issues WHERE project_key = @projectKey),
           @issueTypeId, @summary, @description, @reporterKey, @reporterUsername, @createdAt)
         RETURNING *`,
      ),
      issueByKey: p('SELECT * FROM issues WHERE key = ?'),
      issueById: p('SELECT * FROM issues WHERE id = ?'),
    };
  }

  private getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key) as string | undefined;
  }
  private setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  // -------------------------------------------------------------------------------------------
  // Bulk load.

  /** Inserts a data set (users, tokens, audit records, nodes, loggers, log entries) in one transaction. */
  async seed(data: DataSet): Promise<void> {
    this.writePendingAuditRecords();
    // A large page cache for the load: pages are written once, not spilled and written again.
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('cache_size = -262144');
    try {
      this.seedInTransaction(data);
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  private seedInTransaction(data: DataSet): void {
    this.db.transaction(() => {
      for (const user of data.users) this.insertUserRow(user, null);
      this.ensureNodes(data.nodes);
      for (const token of data.tokens) this.s.insertToken.run(...tokenParams(token));
      // Oldest first: the table and its indexes grow at their ends.
      const insertAudit = this.s.insertAudit;
      for (let i = data.auditRecords.length - 1; i >= 0; i--) {
        insertAudit.run(...auditParams(data.auditRecords[i]!));
      }
      for (let i = data.logEntries.length - 1; i >= 0; i--) {
        this.s.insertLog.run(...logParams(data.logEntries[i]!));
      }
      for (const logger of data.loggers)
        this.s.setLogger.run(EVERY_NODE, logger.name, logger.configuredLevel);
      for (const [node, loggers] of Object.entries(data.nodeLoggers ?? {})) {
        for (const logger of loggers) this.s.setLogger.run(node, logger.name, logger.configuredLevel);
      }
    })();
  }

  /** Adds the nodes that are not there yet. */
  ensureNodes(nodes: readonly string[]): void {
    this.db.transaction(() => {
      for (const node of nodes) this.s.insertNode.run(node);
    })();
  }

  // -------------------------------------------------------------------------------------------
  // Users (and, beyond the port, their passwords).

  async listUsers(): Promise<User[]> {
    return (this.s.listUsers.all() as UserRow[]).map(toUser);
  }
  async findUserByKey(key: string): Promise<User | undefined> {
    const row = this.s.userByKey.get(key) as UserRow | undefined;
    return row && toUser(row);
  }
  async findUserByUsername(username: string): Promise<User | undefined> {
    const row = this.s.userByUsername.get(username) as UserRow | undefined;
    return row && toUser(row);
  }
  /** The groups of every user, each once, sorted. */
  async listGroups(): Promise<string[]> {
    return this.s.groups.all() as string[];
  }
  /** Adds a user (an existing key or username is an error). */
  async insertUser(user: User, passwordHash: string | null = null): Promise<void> {
    this.insertUserRow(user, passwordHash);
  }
  private insertUserRow(user: User, passwordHash: string | null): void {
    this.s.insertUser.run(
      user.key,
      user.username,
      user.displayName,
      user.email,
      JSON.stringify(user.groups),
      user.role,
      passwordHash,
    );
  }
  /** The user's password hash; null when there is no such user or the user has no password. */
  async getPasswordHash(username: string): Promise<string | null> {
    return (this.s.passwordHash.get(username) as string | null | undefined) ?? null;
  }
  /** Sets (or, with null, removes) the user's password hash; false when there is no such user. */
  async setPassword(username: string, passwordHash: string | null): Promise<boolean> {
    return this.s.setPassword.run(passwordHash, username).changes > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Settings.

  async getSettings(): Promise<Settings> {
    return this.readSettings();
  }
  private readSettings(): Settings {
    return toSettings(this.s.settings.get() as SettingsRow | undefined);
  }
  async saveSettings(
    input: SettingsInput,
    expectedVersion: number,
    by: string,
    at: Date,
  ): Promise<Settings | null> {
    return this.db
      .transaction((): Settings | null => {
        const current = (this.s.settingsVersion.get() as number | undefined) ?? 1;
        if (current !== expectedVersion) return null;
        const version = current + 1;
        const updatedAt = at.toISOString();
        this.s.saveSettings.run(JSON.stringify(input), version, updatedAt, by);
        return { ...structuredClone(input), version, updatedAt, updatedBy: by };
      })
      .immediate();
  }

  // -------------------------------------------------------------------------------------------
  // Tokens.

  async findTokenByHash(secretHash: string): Promise<StoredToken | undefined> {
    const row = this.s.tokenByHash.get({ hash: secretHash }) as TokenRow | undefined;
    return row && toToken(row);
  }
  async recordTokenUse(tokenId: string, at: string, clientIp: string): Promise<void> {
    this.s.recordTokenUse.run(at, Date.parse(at), clientIp, tokenId);
  }
  async listTokens(filter: TokenListFilter): Promise<{ items: StoredToken[]; total: number }> {
    const { where, orderBy, params } = tokenListSql(filter, SQLITE_DIALECT);
    const total = this.statements.get(`SELECT count(*) FROM tokens ${where}`).pluck().get(params) as number;
    const rows = this.statements
      .get(`SELECT * FROM tokens ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as TokenRow[];
    return { items: rows.map(toToken), total };
  }
  async getToken(id: string): Promise<StoredToken | undefined> {
    return this.tokenById(id);
  }
  private tokenById(id: string): StoredToken | undefined {
    const row = this.s.tokenById.get(id) as TokenRow | undefined;
    return row && toToken(row);
  }
  async insertToken(token: StoredToken): Promise<void> {
    if (this.s.tokenById.get(token.id)) throw new Error(`Token ${token.id} exists already`);
    this.s.insertToken.run(...tokenParams(token));
  }
  async updateToken(id: string, changes: TokenChanges): Promise<StoredToken | undefined> {
    return this.db.transaction(() => {
      const token = this.tokenById(id);
      if (!token) return undefined;
      const updated = { ...token, ...changes };
      this.s.updateToken.run({
        id,
        description: updated.description,
        expiresAt: updated.expiresAt,
        expiresMs: updated.expiresAt === null ? null : Date.parse(updated.expiresAt),
        ipRestrictions: JSON.stringify(updated.ipRestrictions),
      });
      return this.tokenById(id);
    })();
  }
  async rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): Promise<StoredToken | undefined> {
    const { changes } = this.s.rotateTokenSecret.run({
      id,
      secretHash,
      previousExpiresAt: previousSecretExpiresAt,
    });
    return changes === 0 ? undefined : this.tokenById(id);
  }
  async deleteToken(id: string): Promise<StoredToken | undefined> {
    return this.db.transaction(() => {
      const token = this.tokenById(id);
      if (token) this.s.deleteToken.run(id);
      return token;
    })();
  }
  async deleteTokensOfUser(ownerKey: string): Promise<StoredToken[]> {
    return this.db.transaction(() => {
      const tokens = (this.s.tokensOfOwner.all(ownerKey) as TokenRow[]).map(toToken);
      this.s.deleteTokensOfOwner.run(ownerKey);
      return tokens;
    })();
  }

  // -------------------------------------------------------------------------------------------
  // Audit records.

  /** The last id given out: kept in meta as well, so that a purge never lets an id be given out again. */
  private lastAuditId(): string {
    return (
      this.pendingAudit.at(-1)?.id ??
      maxId(this.getMeta(META.auditLastId), this.s.maxAuditId.get() as string | null) ??
      'ar-000000000'
    );
  }

  /**
   * Records appended during one turn of the event loop are inserted together, in one transaction, at
   * its end (a commit costs far more than a record: on a busy server with successful authentications
   * audited, one transaction per request was most of the request's cost); each append resolves once
   * that transaction is committed. They are never missing: every audit read writes the waiting
   * records first.
   */
  private pendingAudit: AuditRecord[] = [];
  /** The write at the end of this turn, once a record waits for it. */
  private auditBatch: Promise<void> | null = null;

  async appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    let last = this.lastAuditId();
    const appended = records.map((record) => {
      last = nextId(last);
      return { id: last, ...record };
    });
    if (appended.length === 0) return appended;
    this.pendingAudit.push(...appended);
    await (this.auditBatch ??= endOfTurn().then(() => this.writePendingAuditRecords()));
    return appended;
  }

  /**
   * Inserts the records appended since the last write (see `pendingAudit`), in transactions of at
   * most AUDIT_WRITE_CHUNK records: after a full disk, a backlog is written as the space freed allows
   * (one transaction for all of it could need more than was freed, and never succeed). Records that
   * could not be written are kept for the next write (at most MAX_PENDING_AUDIT), and the failure goes
   * to whoever asked for this one.
   */
  writePendingAuditRecords(): void {
    this.auditBatch = null;
    while (this.pendingAudit.length > 0) {
      const records = this.pendingAudit.slice(0, AUDIT_WRITE_CHUNK);
      try {
        this.db.transaction(() => {
          for (const record of records) this.s.insertAudit.run(...auditParams(record));
          this.setMeta(META.auditLastId, records.at(-1)!.id);
        })();
      } catch (error) {
        this.writeFailed(error);
        throw error;
      }
      this.pendingAudit = this.pendingAudit.slice(records.length);
    }
    if (this.writeFailure) this.writingAgain();
  }

  /** Before an audit read: the pending records, unless they cannot be written (reads work on a full disk). */
  private writePendingBeforeRead(): void {
    try {
      this.writePendingAuditRecords();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  /** A duty that must run once in the installation: this process holds the file alone, so it just runs. */
  async exclusively(_duty: string, work: () => Promise<void>): Promise<void> {
    await work();
  }

  /**
   * Why the database cannot be written, since when (a full disk); null while it can. The server's
   * /health reports it; writes are tried again every WRITE_RETRY_MS meanwhile.
   */
  writeFailure: { reason: string; since: string } | null = null;
  private retry: NodeJS.Timeout | undefined;
  private droppedAudit = 0;

  private writeFailed(error: unknown): void {
    if (!isDiskFull(error)) return;
    // Memory stays bounded while nothing can be written: the newest records beyond the bound go
    // (their requests were answered 503, not acknowledged).
    if (this.pendingAudit.length > MAX_PENDING_AUDIT) {
      this.droppedAudit += this.pendingAudit.length - MAX_PENDING_AUDIT;
      this.pendingAudit = this.pendingAudit.slice(0, MAX_PENDING_AUDIT);
    }
    if (this.writeFailure) return;
    const code = (error as { code?: string }).code ?? 'disk full';
    this.writeFailure = { reason: `the disk is full (${code})`, since: new Date().toISOString() };
    console.error(
      `Cannot write the database ${this.db.name}: the disk is full (${code}). Requests that need a ` +
        `write are answered 503 until there is space again; writing is tried again every ` +
        `${WRITE_RETRY_MS / 1000} s.`,
    );
    this.retry = setInterval(() => this.tryWritingAgain(), WRITE_RETRY_MS);
    this.retry.unref();
  }

  /** While writes fail: gives the WAL's space back if it can, and tries the records (or a probe). */
  tryWritingAgain(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      if (this.pendingAudit.length > 0) this.writePendingAuditRecords();
      else this.setMeta(META.writeProbe, new Date().toISOString());
      if (this.writeFailure) this.writingAgain();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
  }

  private writingAgain(): void {
    const since = this.writeFailure?.since;
    this.writeFailure = null;
    clearInterval(this.retry);
    // The WAL grew into what space there was: give back what the backlog no longer needs.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Given back at a later checkpoint.
    }
    const dropped = this.droppedAudit;
    this.droppedAudit = 0;
    console.error(
      `Writing the database ${this.db.name} again (it could not be written since ${since}` +
        `${dropped > 0 ? `; ${dropped} audit records of requests answered 503 could not be kept` : ''}).`,
    );
  }

  /** Newest first, along the index the filter makes cheapest to scan (see AuditPlanner). */
  async listAuditRecords(query: AuditListQuery): Promise<Page<AuditRecord>> {
    this.writePendingBeforeRead();
    return this.audit.list(query);
  }

  async getAuditRecord(id: string): Promise<AuditRecord | undefined> {
    this.writePendingBeforeRead();
    const row = this.s.auditById.get(id) as { timestamp: string; record_json: string } | undefined;
    if (!row) return undefined;
    const purgedBefore = this.getMeta(META.auditPurgedBefore);
    if (purgedBefore !== undefined && row.timestamp < purgedBefore) return undefined;
    return JSON.parse(row.record_json) as AuditRecord;
  }

  async auditHistogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    this.writePendingBeforeRead();
    return this.audit.histogram(filter, starts);
  }
  async auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    this.writePendingBeforeRead();
    return this.audit.topValues(filter, field, limit);
  }

  async purgeAuditRecords(before: string): Promise<void> {
    this.writePendingAuditRecords();
    if ((this.getMeta(META.auditPurgedBefore) ?? '') >= before) return;
    this.db.transaction(() => {
      this.setMeta(META.auditLastId, this.lastAuditId());
      this.setMeta(META.auditPurgedBefore, before);
      this.s.purgeAudit.run(before);
    })();
  }

  // -------------------------------------------------------------------------------------------
  // Logging.

  /** One process per database file: its nodes are up while it runs. */
  async listNodes(): Promise<ClusterNode[]> {
    return (this.s.listNodes.all() as string[]).map(nodeKnownById);
  }
  async listLoggers(node: string): Promise<LoggerConfig[]> {
    // The levels of every node first, then the node's own (which override them in place).
    const rows = this.s.loggersOf.all(EVERY_NODE, node, node) as {
      name: string;
      level: LogLevel | null;
    }[];
    return toLoggers(rows);
  }
  async setLoggerLevel(node: string, name: string, level: LogLevel | null): Promise<void> {
    this.s.setLogger.run(node, name, level);
  }
  async listLevelReverts(): Promise<LevelRevert[]> {
    return (this.s.listReverts.all() as LevelRevertRow[]).map(toLevelRevert);
  }
  async setLevelRevert(name: string, revert: LevelRevert | null): Promise<void> {
    if (revert) {
      this.s.setRevert.run(name, revert.revertAt, JSON.stringify(revert.previous), revert.setBy);
    } else {
      this.s.deleteRevert.run(name);
    }
  }

  async appendLogEntries(entries: NewLogEntry[]): Promise<void> {
    this.db.transaction(() => {
      let last =
        maxId(this.getMeta(META.logLastId), this.s.maxLogId.get() as string | null) ?? 'le-000000000';
      for (const entry of entries) {
        last = nextId(last);
        this.s.insertLog.run(...logParams({ id: last, ...entry }));
      }
      this.setMeta(META.logLastId, last);
    })();
  }

  async listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    const { where, params } = logEntryConditions(filter, SQLITE_DIALECT);
    // The free text is searched in JS only (the JSON form escapes some characters).
    const statement = this.statements.get(
      `SELECT id, record_json FROM log_entries INDEXED BY sqlite_autoindex_log_entries_1
       WHERE ${[...where, 'id < @below'].join(' AND ')} ORDER BY id DESC LIMIT @chunk`,
    );
    const items: LogEntry[] = [];
    const limit = query.limit;
    for (const row of scanDescending<LogRow>(statement, params, query.cursor ?? ID_MAX, limit + 1)) {
      const entry = JSON.parse(row.record_json) as LogEntry;
      if (!matchesLogEntry(entry, filter)) continue;
      items.push(entry);
      if (items.length > limit) break;
    }
    return pageOf(items, limit);
  }

  // -------------------------------------------------------------------------------------------
  // Issues.

  async createIssue(issue: NewIssue): Promise<StoredIssue> {
    return toIssue(this.s.insertIssue.get({ ...issue, firstId: FIRST_ISSUE_ID }) as IssueRow);
  }
  async findIssue(idOrKey: string): Promise<StoredIssue | undefined> {
    const row = (
      ISSUE_ID.test(idOrKey) ? this.s.issueById.get(Number(idOrKey)) : this.s.issueByKey.get(idOrKey)
    ) as IssueRow | undefined;
    return row && toIssue(row);
  }

  // -------------------------------------------------------------------------------------------
  // Demo session (the server does not use it).

  async getDemoSessionUsername(): Promise<string | null> {
    return this.getMeta(META.demoSessionUsername) ?? null;
  }
  async setDemoSessionUsername(username: string | null): Promise<void> {
    if (username === null) this.s.deleteMeta.run(META.demoSessionUsername);
    else this.setMeta(META.demoSessionUsername, username);
  }

  // Browser sessions (sessions.ts).

  async createSession(session: SessionRecord): Promise<void> {
    this.sessions.create(session);
  }
  /** The session with this id hash; with `now`, only while it has not expired. */
  async findSession(idHash: string, now?: Date): Promise<SessionRecord | undefined> {
    return this.sessions.find(idHash, now);
  }
  /** Whether there was such a session. */
  async deleteSession(idHash: string): Promise<boolean> {
    return this.sessions.delete(idHash);
  }
  /** Deletes the sessions expired at `now`; returns how many. */
  async purgeSessions(now: Date | string): Promise<number> {
    return this.sessions.purge(now);
  }
}

function maxId(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (a == null) return b ?? undefined;
  if (b == null) return a;
  return a > b ? a : b;
}

/** Throws a one-line message when the database file (or its folder, where SQLite writes its WAL) is read-only. */
function assertWritable(path: string): void {
  for (const target of existsSync(path) ? [path, dirname(path)] : [dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      throw new Error(
        `Cannot write ${target} (${code}): the server needs to write its database ${path}. ` +
          'Make it writable for this user, or give another --db.',
      );
    }
  }
}
