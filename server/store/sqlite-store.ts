import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent, AuditRecord } from '../../contract/audit';
import {
  AuditFilterSchema,
  compileAuditFilter,
  type AuditFilter,
  auditSearchTexts,
} from '../../contract/audit-query';
import { outcomeOf, type Outcome } from '../../contract/histogram';
import { matchesLogEntry, type LogEntry, type LoggerConfig, type LogLevel } from '../../contract/logging';
import { DEFAULT_SETTINGS, type Settings, type SettingsInput } from '../../contract/settings';
import { NEVER_SORTS_AS, type TokenScope } from '../../contract/tokens';
import type { Role, User } from '../../contract/users';
import type {
  AuditListQuery,
  DataSet,
  LevelRevert,
  NewAuditRecord,
  LogEntryListQuery,
  NewLogEntry,
  Page,
  Store,
  StoredToken,
  TokenChanges,
  TokenListFilter,
} from '../../backend/store/port';
import { isDiskFull } from '../../backend/http/problem';
import { migrate } from './migrations';

type Db = Database.Database;
type Statement = Database.Statement<unknown[], unknown>;

/** A signed-in browser session of the real server (the cookie holds the id; only its hash is stored). */
export interface SessionRecord {
  idHash: string;
  userKey: string;
  csrfToken: string;
  /** ISO 8601 instants, as `Date.toISOString()` writes them (sessions compare them as text). */
  createdAt: string;
  expiresAt: string;
}

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

const DAY_MS = 86_400_000;
/** Greater than every id (ids are ASCII). */
const ID_MAX = '\uffff';
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
const MAX_CHUNK = 4_096;
const STATEMENT_CACHE_SIZE = 300;

interface UserRow {
  key: string;
  username: string;
  display_name: string;
  email: string;
  groups_json: string;
  role: string;
}

interface TokenRow {
  id: string;
  owner_key: string;
  owner_username: string;
  description: string;
  scope: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  ip_restrictions_json: string;
  secret_hash: string;
  previous_secret_hash: string | null;
  previous_secret_expires_at: string | null;
}

interface AuditRow {
  id: string;
  timestamp: string;
  summary: string;
  record_json: string;
}

/** The audit filter as SQL (see `auditConditions`). */
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

interface LogRow {
  id: string;
  record_json: string;
}

interface SessionRow {
  id_hash: string;
  user_key: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** The column of each token sort field (also the whitelist that keeps the ORDER BY safe). */
const TOKEN_SORT_COLUMNS: Record<TokenListFilter['sort'], string> = {
  createdAt: 'created_ms',
  expiresAt: 'expires_ms',
  lastUsedAt: 'last_used_ms',
};

/** What `whenAuditStored` answers when no record is waiting. */
const AUDIT_STORED = Promise.resolve();

/**
 * The SQLite storage adapter of the real server (better-sqlite3: synchronous, like the port).
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

  private readonly statements = new Map<string, Statement>();
  private readonly s: ReturnType<SqliteStore['prepareStatements']>;

  private readonly probeCap: number;

  constructor(
    readonly db: Db,
    options: Pick<SqliteStoreOptions, 'probeCap'> = {},
  ) {
    this.probeCap = options.probeCap ?? DEFAULT_PROBE_CAP;
    migrate(db);
    // SQLite's lower() folds ASCII only; the filters are defined with JavaScript's toLowerCase.
    db.function('js_lower', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
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
    this.s = this.prepareStatements();
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
           author_display_name_lc, client_ip, proxy_ip, details_username, objects, search_text,
           record_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      auditById: p('SELECT timestamp, record_json FROM audit_records WHERE id = ?'),
      maxAuditId: p('SELECT max(id) FROM audit_records').pluck(),
      // The id range of a time range: ids are assigned in time order, so a range of instants is a
      // range of ids (the timestamps are checked again on every row).
      lastAuditIdAtOrBefore: p(
        `SELECT max(id) FROM audit_records
         WHERE timestamp = (SELECT max(timestamp) FROM audit_records WHERE timestamp <= ?)`,
      ).pluck(),
      firstAuditIdAtOrAfter: p(
        `SELECT min(id) FROM audit_records
         WHERE timestamp = (SELECT min(timestamp) FROM audit_records WHERE timestamp >= ?)`,
      ).pluck(),
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

      createSession: p(
        'INSERT INTO sessions (id_hash, user_key, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      findSession: p('SELECT * FROM sessions WHERE id_hash = ?'),
      deleteSession: p('DELETE FROM sessions WHERE id_hash = ?'),
      purgeSessions: p('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  /** A statement for SQL built at run time (filters): prepared once per distinct text. */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
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
  seed(data: DataSet): void {
    this.writePendingAuditRecords();
    // A large page cache for the load: pages are written once, not spilled and written again.
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('cache_size = -262144');
    try {
      this.seedInTransaction(data);
    } finally {
      this.forgetCaches();
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  private seedInTransaction(data: DataSet): void {
    this.db.transaction(() => {
      for (const user of data.users) this.insertUser(user);
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
    this.cached.nodes = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Users (and, beyond the port, their passwords).

  listUsers(): User[] {
    return (this.s.listUsers.all() as UserRow[]).map(toUser);
  }
  findUserByKey(key: string): User | undefined {
    const { usersByKey } = this.cached;
    const cached = usersByKey.get(key);
    if (cached) return cached;
    const row = this.s.userByKey.get(key) as UserRow | undefined;
    if (!row) return undefined;
    const user = toUser(row);
    if (usersByKey.size >= CACHE_LIMIT) usersByKey.clear();
    usersByKey.set(key, user);
    return user;
  }
  findUserByUsername(username: string): User | undefined {
    const row = this.s.userByUsername.get(username) as UserRow | undefined;
    return row && toUser(row);
  }
  /** The groups of every user, each once, sorted. */
  listGroups(): string[] {
    return this.s.groups.all() as string[];
  }
  /** Adds a user (an existing key or username is an error). */
  insertUser(user: User, passwordHash: string | null = null): void {
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
  getPasswordHash(username: string): string | null {
    return (this.s.passwordHash.get(username) as string | null | undefined) ?? null;
  }
  /** Sets (or, with null, removes) the user's password hash; false when there is no such user. */
  setPassword(username: string, passwordHash: string | null): boolean {
    return this.s.setPassword.run(passwordHash, username).changes > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Settings.

  // Caches of the small, hot, rarely written tables (settings, loggers, reverts, nodes), read on every
  // authenticated request. This process is the database's only writer, and every write here clears
  // what it changes.
  // The tokens and users that authenticate requests are cached too (found ones only, so that wrong
  // secrets cannot fill the cache; bounded, and emptied when full).
  private cached: Caches = emptyCaches();

  private forgetCaches(): void {
    this.cached = emptyCaches();
  }

  /** Drops a token from the cache of found tokens (after any write to it), under each hash it was found by. */
  private forgetToken(id: string): void {
    const hashes = this.cached.tokenHashesById.get(id);
    if (hashes === undefined) return;
    for (const hash of hashes) this.cached.tokensByHash.delete(hash);
    this.cached.tokenHashesById.delete(id);
  }

  getSettings(): Settings {
    return (this.cached.settings ??= this.readSettings());
  }
  private readSettings(): Settings {
    const row = this.s.settings.get() as
      { json: string; version: number; updated_at: string | null; updated_by: string | null } | undefined;
    if (!row) return { ...structuredClone(DEFAULT_SETTINGS), version: 1, updatedAt: null, updatedBy: null };
    return {
      ...(JSON.parse(row.json) as SettingsInput),
      version: row.version,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  }
  saveSettings(input: SettingsInput, expectedVersion: number, by: string, at: Date): Settings | null {
    return this.db
      .transaction((): Settings | null => {
        const current = this.getSettings();
        if (current.version !== expectedVersion) return null;
        const json = JSON.stringify(input);
        const version = current.version + 1;
        const updatedAt = at.toISOString();
        this.s.saveSettings.run(json, version, updatedAt, by);
        const saved = { ...(JSON.parse(json) as SettingsInput), version, updatedAt, updatedBy: by };
        this.cached.settings = saved;
        return saved;
      })
      .immediate();
  }

  // -------------------------------------------------------------------------------------------
  // Tokens.

  findTokenByHash(secretHash: string): StoredToken | undefined {
    const { tokensByHash, tokenHashesById } = this.cached;
    const cached = tokensByHash.get(secretHash);
    if (cached) return cached;
    const row = this.s.tokenByHash.get({ hash: secretHash }) as TokenRow | undefined;
    if (!row) return undefined;
    const token = toToken(row);
    if (tokensByHash.size >= CACHE_LIMIT) {
      tokensByHash.clear();
      tokenHashesById.clear();
    }
    tokensByHash.set(secretHash, token);
    tokenHashesById.set(token.id, [...(tokenHashesById.get(token.id) ?? []), secretHash]);
    return token;
  }
  recordTokenUse(tokenId: string, at: string, clientIp: string): void {
    this.s.recordTokenUse.run(at, Date.parse(at), clientIp, tokenId);
    this.forgetToken(tokenId);
  }
  listTokens(filter: TokenListFilter): { items: StoredToken[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.ownerKey !== undefined) {
      where.push('owner_key = @ownerKey');
      params.ownerKey = filter.ownerKey;
    }
    if (filter.owner.length > 0) {
      where.push('owner_username IN (SELECT value FROM json_each(@owners))');
      params.owners = JSON.stringify(filter.owner);
    }
    if (filter.scope) {
      where.push('scope = @scope');
      params.scope = filter.scope;
    }
    if (filter.neverUsed) where.push('last_used_at IS NULL');
    if (filter.q) {
      where.push('instr(js_lower(description), @q) > 0');
      params.q = filter.q.toLowerCase();
    }
    // A range on a date leaves out the tokens without that date (never used, never expires).
    const range = (column: string, from: string | undefined, to: string | undefined) => {
      if (from === undefined && to === undefined) return;
      where.push(`${column} IS NOT NULL`);
      if (from !== undefined) {
        where.push(`${column} >= @${column}_from`);
        params[`${column}_from`] = Date.parse(from);
      }
      if (to !== undefined) {
        where.push(`${column} <= @${column}_to`);
        params[`${column}_to`] = Date.parse(to);
      }
    };
    range('created_ms', filter.createdFrom, filter.createdTo);
    range('last_used_ms', filter.lastUsedFrom, filter.lastUsedTo);
    range('expires_ms', filter.expiresFrom, filter.expiresTo);
    if (filter.status.length > 0) {
      // matchesStatusFilter in SQL: expired from the expiry instant on; expiring within the warning
      // window; any ticked value matches.
      const statuses = new Set(filter.status);
      const any: string[] = [];
      if (statuses.has('noExpiry')) any.push('expires_ms IS NULL');
      if (statuses.has('expired')) any.push('(expires_ms IS NOT NULL AND expires_ms <= @now)');
      if (statuses.has('expiring')) any.push('(expires_ms > @now AND expires_ms <= @warnUntil)');
      if (statuses.has('active')) any.push('(expires_ms IS NULL OR expires_ms > @warnUntil)');
      where.push(`(${any.join(' OR ')})`);
      params.now = filter.now.getTime();
      params.warnUntil = filter.now.getTime() + filter.expiryWarningDays * DAY_MS;
    }
    const column = TOKEN_SORT_COLUMNS[filter.sort];
    if (!column) throw new Error(`Unknown sort field ${String(filter.sort)}`);
    const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
    // "Never" (NULL) where NEVER_SORTS_AS puts it: first when it sorts as the latest and the order is
    // descending, or as the earliest and the order is ascending.
    const neverFirst = (NEVER_SORTS_AS[filter.sort] === 'latest') === (filter.order === 'desc');
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.statement(`SELECT count(*) FROM tokens ${whereSql}`).pluck().get(params) as number;
    // The id as tiebreak in the same direction.
    const rows = this.statement(
      `SELECT * FROM tokens ${whereSql}
       ORDER BY ${column} ${direction} NULLS ${neverFirst ? 'FIRST' : 'LAST'}, id ${direction}
       LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as TokenRow[];
    return { items: rows.map(toToken), total };
  }
  getToken(id: string): StoredToken | undefined {
    const row = this.s.tokenById.get(id) as TokenRow | undefined;
    return row && toToken(row);
  }
  insertToken(token: StoredToken): void {
    if (this.s.tokenById.get(token.id)) throw new Error(`Token ${token.id} exists already`);
    this.s.insertToken.run(...tokenParams(token));
  }
  updateToken(id: string, changes: TokenChanges): StoredToken | undefined {
    return this.db.transaction(() => {
      const token = this.getToken(id);
      if (!token) return undefined;
      const updated = { ...token, ...changes };
      this.s.updateToken.run({
        id,
        description: updated.description,
        expiresAt: updated.expiresAt,
        expiresMs: epochMs(updated.expiresAt),
        ipRestrictions: JSON.stringify(updated.ipRestrictions),
      });
      this.forgetToken(id);
      return this.getToken(id);
    })();
  }
  rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): StoredToken | undefined {
    this.forgetToken(id);
    const { changes } = this.s.rotateTokenSecret.run({
      id,
      secretHash,
      previousExpiresAt: previousSecretExpiresAt,
    });
    return changes === 0 ? undefined : this.getToken(id);
  }
  deleteToken(id: string): StoredToken | undefined {
    return this.db.transaction(() => {
      const token = this.getToken(id);
      if (token) this.s.deleteToken.run(id);
      this.forgetToken(id);
      return token;
    })();
  }
  deleteTokensOfUser(ownerKey: string): StoredToken[] {
    return this.db.transaction(() => {
      const tokens = (this.s.tokensOfOwner.all(ownerKey) as TokenRow[]).map(toToken);
      this.s.deleteTokensOfOwner.run(ownerKey);
      for (const token of tokens) this.forgetToken(token.id);
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
   * audited, one transaction per request was most of the request's cost). They are never missing:
   * every audit read writes the waiting records first, and the backend answers a request only once
   * its records are stored (`whenAuditStored`).
   */
  private pendingAudit: AuditRecord[] = [];
  private auditStored: Promise<void> | null = null;

  appendAuditRecords(records: NewAuditRecord[]): AuditRecord[] {
    let last = this.lastAuditId();
    const appended = records.map((record) => {
      last = nextId(last);
      return { id: last, ...record };
    });
    if (appended.length === 0) return appended;
    this.pendingAudit.push(...appended);
    if (!this.auditStored) {
      const stored = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          try {
            this.writePendingAuditRecords();
            resolve();
          } catch (error) {
            reject(error as Error);
          }
        }),
      );
      // The requests waiting for it get the failure (and answer with an error); nobody else must.
      stored.catch(() => {});
      this.auditStored = stored;
    }
    return appended;
  }

  whenAuditStored(): Promise<void> {
    return this.auditStored ?? AUDIT_STORED;
  }

  /**
   * Inserts the records appended since the last write (see `pendingAudit`), in transactions of at
   * most AUDIT_WRITE_CHUNK records: after a full disk, a backlog is written as the space freed allows
   * (one transaction for all of it could need more than was freed, and never succeed). Records that
   * could not be written are kept for the next write (at most MAX_PENDING_AUDIT), and the failure goes
   * to whoever asked for this one.
   */
  writePendingAuditRecords(): void {
    this.auditStored = null;
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

  /**
   * The filter as SQL conditions, by the index that could drive a scan (`rest`: no index). Every
   * condition means exactly what `compileAuditFilter` means (the author columns are lower-cased as
   * JavaScript does it; the addresses are matched by a function that runs the filter's own address
   * check), except the free text when it spans lines: `exact` is false then.
   */
  private auditConditions(filter: AuditFilter): AuditConditions {
    const conditions: AuditConditions = {
      where: { summary: [], author: [], category: [], rest: [] },
      params: {},
      exact: true,
    };
    const { where, params } = conditions;
    const purgedBefore = this.getMeta(META.auditPurgedBefore);
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
  private auditIdBounds(c: AuditConditions): { hi: string; lo: string } | null {
    let hi = ID_MAX;
    let lo = '';
    if (c.to !== undefined) {
      const id = this.s.lastAuditIdAtOrBefore.get(c.to) as string | null;
      if (id === null) return null;
      hi = id;
    }
    if (c.floor !== undefined) {
      const id = this.s.firstAuditIdAtOrAfter.get(c.floor) as string | null;
      if (id === null) return null;
      lo = id;
    }
    return { hi, lo };
  }

  /**
   * The ways to scan for the filter, each a set of index scans in id order whose union holds every
   * match: along the id index, or the events', the author's or the category's index.
   */
  private auditDrivers(filter: AuditFilter, c: AuditConditions): AuditDriver[] {
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
  private chooseAuditDriver(
    drivers: AuditDriver[],
    range: string[],
    params: Record<string, unknown>,
  ): { driver: AuditDriver; estimate: number } {
    let best = { driver: drivers[0]!, estimate: Infinity };
    for (const driver of drivers) {
      let estimate = 0;
      for (const scan of driver.scans) {
        const where = [scan.where, ...range].filter(Boolean).join(' AND ');
        estimate += this.statement(
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
  private scanAudit(
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
      const statement = this.statement(
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
   * (`chooseAuditDriver`); `compileAuditFilter`, the filter's one definition, confirms every record.
   */
  listAuditRecords(query: AuditListQuery): Page<AuditRecord> {
    this.writePendingBeforeRead();
    const filter = AuditFilterSchema.parse({
      ...query,
      cursor: undefined,
      after: undefined,
      limit: undefined,
    });
    const { cursor, after, limit } = query;
    const c = this.auditConditions(filter);
    const bounds = this.auditIdBounds(c);
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
    const drivers = this.auditDrivers(filter, c);
    const { driver } =
      drivers.length > 1 ? this.chooseAuditDriver(drivers, range, params) : { driver: drivers[0]! };

    const matches = compileAuditFilter(filter);
    const items: AuditRecord[] = [];
    const firstChunk = c.exact ? limit + 1 : Math.max(limit + 1, 256);
    for (const row of this.scanAudit(driver, c, range, params, below, firstChunk)) {
      const record = JSON.parse(row.record_json) as AuditRecord;
      if (!matches(record)) continue;
      items.push(record);
      if (items.length > limit) break;
    }
    const hasMore = items.length > limit;
    const page = hasMore ? items.slice(0, limit) : items;
    return { items: page, nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null };
  }

  getAuditRecord(id: string): AuditRecord | undefined {
    this.writePendingBeforeRead();
    const row = this.s.auditById.get(id) as { timestamp: string; record_json: string } | undefined;
    if (!row) return undefined;
    const purgedBefore = this.getMeta(META.auditPurgedBefore);
    if (purgedBefore !== undefined && row.timestamp < purgedBefore) return undefined;
    return JSON.parse(row.record_json) as AuditRecord;
  }

  /**
   * Bucket by bucket, `GROUP BY summary` over the timestamp index (which holds the summary: without
   * other filters the table itself is not read); when the filter is rare along another index
   * (fewer records than the probe cap), its few records are counted one by one instead.
   */
  auditHistogram(filter: AuditFilter, starts: readonly number[]): Record<Outcome, number>[] {
    this.writePendingBeforeRead();
    const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
    const first = starts[0];
    if (first === undefined) return counts;
    const c = this.auditConditions(filter);
    const bounds = this.auditIdBounds(c);
    if (!bounds) return counts;
    const params: Record<string, unknown> = { ...c.params, ...bounds, below: ID_MAX };
    const range = ['id <= @hi', 'id >= @lo', 'timestamp >= @first'];
    params.first = new Date(first).toISOString();
    const drivers = this.auditDrivers(filter, c);
    const chosen = this.chooseAuditDriver(drivers, range, params);

    if (chosen.estimate < this.probeCap || !c.exact) {
      const matches = compileAuditFilter(filter);
      for (const row of this.scanAudit(chosen.driver, c, range, params, ID_MAX, MAX_CHUNK)) {
        if (!c.exact && !matches(JSON.parse(row.record_json) as AuditRecord)) continue;
        const bucket = lastAtOrBefore(starts, Date.parse(row.timestamp));
        if (bucket >= 0) counts[bucket]![outcomeOf(row.summary as AuditEvent)]++;
      }
      return counts;
    }
    // No id range here: the index has no ids, and the timestamps bound the same records.
    const where = ['timestamp >= @first', 'timestamp < @end', ...Object.values(c.where).flat()].join(' AND ');
    const statement = this.statement(
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
  auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): { value: string; count: number }[] {
    this.writePendingBeforeRead();
    const parsed = AuditFilterSchema.parse(filter);
    const c = this.auditConditions(parsed);
    const column = field === 'clientIp' ? 'client_ip' : 'details_username';
    let counts: { value: string; count: number }[];
    if (c.exact) {
      const where = [`${column} IS NOT NULL`, `${column} != ''`, ...Object.values(c.where).flat()].join(
        ' AND ',
      );
      counts = this.statement(
        `SELECT ${column} AS value, count(*) AS count FROM audit_records WHERE ${where} GROUP BY ${column}`,
      ).all(c.params) as { value: string; count: number }[];
    } else {
      const matches = compileAuditFilter(parsed);
      const byValue = new Map<string, number>();
      const rows = this.statement(
        `SELECT record_json FROM audit_records WHERE ${Object.values(c.where).flat().join(' AND ')}`,
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

  purgeAuditRecords(before: string): void {
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

  listNodes(): string[] {
    return (this.cached.nodes ??= this.s.listNodes.all() as string[]);
  }
  listLoggers(node: string): LoggerConfig[] {
    let loggers = this.cached.loggers.get(node);
    if (!loggers) {
      loggers = this.readLoggers(node);
      this.cached.loggers.set(node, loggers);
    }
    return loggers;
  }
  private readLoggers(node: string): LoggerConfig[] {
    // The levels of every node first, then the node's own (which override them in place).
    const rows = this.s.loggersOf.all(EVERY_NODE, node, node) as {
      name: string;
      level: LogLevel | null;
    }[];
    const levels = new Map<string, LogLevel | null>();
    for (const row of rows) levels.set(row.name, row.level);
    return [...levels].map(([name, configuredLevel]) => ({ name, configuredLevel }));
  }
  setLoggerLevel(node: string, name: string, level: LogLevel | null): void {
    this.s.setLogger.run(node, name, level);
    this.cached.loggers.clear();
  }
  listLevelReverts(): LevelRevert[] {
    return (this.cached.reverts ??= this.readLevelReverts());
  }
  private readLevelReverts(): LevelRevert[] {
    const rows = this.s.listReverts.all() as {
      name: string;
      revert_at: string;
      previous_json: string;
      set_by: string;
    }[];
    return rows.map((row) => ({
      name: row.name,
      revertAt: row.revert_at,
      previous: JSON.parse(row.previous_json) as LevelRevert['previous'],
      setBy: row.set_by,
    }));
  }
  setLevelRevert(name: string, revert: LevelRevert | null): void {
    if (revert) {
      this.s.setRevert.run(name, revert.revertAt, JSON.stringify(revert.previous), revert.setBy);
    } else {
      this.s.deleteRevert.run(name);
    }
    this.cached.reverts = undefined;
  }

  appendLogEntries(entries: NewLogEntry[]): void {
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
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.level.length > 0) {
      where.push('level IN (SELECT value FROM json_each(@levels))');
      params.levels = JSON.stringify(filter.level);
    }
    if (filter.logger) {
      // The logger or a logger below it: names that start with "<logger>." sort from "<logger>." to
      // just before "<logger>/" ('/' follows '.').
      where.push('(logger = @logger OR (logger >= @loggerFrom AND logger < @loggerTo))');
      params.logger = filter.logger;
      params.loggerFrom = `${filter.logger}.`;
      params.loggerTo = `${filter.logger}/`;
    }
    if (filter.node) {
      where.push('node = @node');
      params.node = filter.node;
    }
    // The free text is searched in JS only (the JSON form escapes some characters).
    const statement = this.statement(
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
    const hasMore = items.length > limit;
    const page = hasMore ? items.slice(0, limit) : items;
    return { items: page, nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null };
  }

  // -------------------------------------------------------------------------------------------
  // Demo session (the server does not use it) and server sessions.

  getDemoSessionUsername(): string | null {
    return this.getMeta(META.demoSessionUsername) ?? null;
  }
  setDemoSessionUsername(username: string | null): void {
    if (username === null) this.s.deleteMeta.run(META.demoSessionUsername);
    else this.setMeta(META.demoSessionUsername, username);
  }

  createSession(session: SessionRecord): void {
    this.s.createSession.run(
      session.idHash,
      session.userKey,
      session.csrfToken,
      session.createdAt,
      session.expiresAt,
    );
  }
  /** The session with this id hash; with `now`, only while it has not expired. */
  findSession(idHash: string, now?: Date): SessionRecord | undefined {
    const row = this.s.findSession.get(idHash) as SessionRow | undefined;
    if (!row || (now !== undefined && row.expires_at <= now.toISOString())) return undefined;
    return {
      idHash: row.id_hash,
      userKey: row.user_key,
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }
  /** Whether there was such a session. */
  deleteSession(idHash: string): boolean {
    return this.s.deleteSession.run(idHash).changes > 0;
  }
  /** Deletes the sessions expired at `now`; returns how many. */
  purgeSessions(now: Date | string): number {
    return this.s.purgeSessions.run(typeof now === 'string' ? now : now.toISOString()).changes;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows.

function toUser(row: UserRow): User {
  return {
    key: row.key,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    groups: JSON.parse(row.groups_json) as string[],
    role: row.role as Role,
  };
}

/** How many found tokens (and users) the store keeps in memory at most. */
const CACHE_LIMIT = 10_000;

interface Caches {
  settings?: Settings;
  nodes?: string[];
  loggers: Map<string, LoggerConfig[]>;
  reverts?: LevelRevert[];
  tokensByHash: Map<string, StoredToken>;
  /** Token id → the hashes it is cached under (its secret's, and its previous secret's). */
  tokenHashesById: Map<string, string[]>;
  usersByKey: Map<string, User>;
}

function emptyCaches(): Caches {
  return { loggers: new Map(), tokensByHash: new Map(), tokenHashesById: new Map(), usersByKey: new Map() };
}

function toToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    ownerKey: row.owner_key,
    ownerUsername: row.owner_username,
    description: row.description,
    scope: row.scope as TokenScope,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    ipRestrictions: JSON.parse(row.ip_restrictions_json) as string[],
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}

const epochMs = (value: string | null) => (value === null ? null : Date.parse(value));

function tokenParams(t: StoredToken): unknown[] {
  return [
    t.id,
    t.ownerKey,
    t.ownerUsername,
    t.description,
    t.scope,
    t.createdAt,
    t.createdBy,
    t.expiresAt,
    t.lastUsedAt,
    t.lastUsedIp,
    JSON.stringify(t.ipRestrictions),
    t.secretHash,
    t.previousSecretHash,
    t.previousSecretExpiresAt,
    Date.parse(t.createdAt),
    epochMs(t.expiresAt),
    epochMs(t.lastUsedAt),
  ];
}

const lower = (value: string | null | undefined) => (value ?? '').toLowerCase();

/**
 * The texts the free-text filter searches (as `compileAuditFilter` lists them), lower-cased and
 * joined: a record whose texts contain the query contains it here too, so `instr` on this column can
 * only keep too many candidates, never too few (the contract tests probe every text of every record).
 */
function searchText(record: AuditRecord): string {
  return auditSearchTexts(record).map(lower).join('\n');
}

/** Line breaks (and backslashes) escaped: a value of `objectsText` is one line. */
const escapeLines = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

/**
 * '\n' + every affected object's id and name (escaped), each followed by '\n': a value is an id or
 * name exactly when '\n' + value + '\n' (escaped) occurs in it.
 */
function objectsText(record: AuditRecord): string {
  let text = '\n';
  for (const o of record.affectedObjects) text += `${escapeLines(o.id)}\n${escapeLines(o.name)}\n`;
  return text;
}

function auditParams(r: AuditRecord): unknown[] {
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
    objectsText(r),
    searchText(r),
    JSON.stringify(r),
  ];
}

function logParams(e: LogEntry): unknown[] {
  return [e.id, e.timestamp, e.level, e.logger, e.node, JSON.stringify(e)];
}

// ---------------------------------------------------------------------------------------------
// Scans.

/**
 * The rows of `statement` (which takes `@below` and `@chunk` and answers newest first), fetched in
 * growing chunks: nothing stays open on the connection between chunks, so several scans can be
 * merged, and the caller may stop at any row.
 */
function* scanDescending<R extends { id: string }>(
  statement: Statement,
  params: Record<string, unknown>,
  below: string,
  firstChunk: number,
): Generator<R> {
  let chunk = Math.max(1, firstChunk);
  for (;;) {
    const rows = statement.all({ ...params, below, chunk }) as R[];
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < chunk || !last) return;
    below = last.id;
    chunk = Math.min(chunk * 4, MAX_CHUNK);
  }
}

/** Newest-first streams merged into one newest-first stream, each id once. */
function* mergeDescending<R extends { id: string }>(streams: Iterator<R>[]): Generator<R> {
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let best: R | undefined;
    for (const head of heads)
      if (!head.done && (best === undefined || head.value.id > best.id)) best = head.value;
    if (best === undefined) return;
    yield best;
    heads.forEach((head, i) => {
      let current = head;
      while (!current.done && current.value.id === best.id) current = streams[i]!.next();
      heads[i] = current;
    });
  }
}

/** Ids are a prefix and a zero-padded sequence number, so that a newer item has a greater id. */
function nextId(id: string): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  if (!match) throw new Error(`Unexpected id ${id}`);
  const [, prefix = '', digits = ''] = match;
  return prefix + String(Number(digits) + 1).padStart(digits.length, '0');
}

/** The index of the last of the ascending `starts` at or before `ms`; -1 when `ms` is before them all. */
function lastAtOrBefore(starts: readonly number[], ms: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return low - 1;
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
