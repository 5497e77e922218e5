import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { AuditPlanner } from './audit-planner';
import { AuditTextIndex } from './audit-texts';
import { migrate } from './migrations';
import {
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
import { prepareSqliteStatements, type SqliteStatements } from './sqlite-statements';
import { maxId, SqliteAuditWriter, WRITER_META } from './sqlite-audit-writer';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { logEntryConditions } from './sql-dialect';
import { tokenListSql } from './token-list';

export type { SessionRecord } from './sessions';
export { MAX_PENDING_AUDIT } from './sqlite-audit-writer';

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
  ...WRITER_META,
  auditPurgedBefore: 'audit_purged_before',
  logLastId: 'log_last_id',
  demoSessionUsername: 'demo_session_username',
} as const;

const DEFAULT_PROBE_CAP = 2_000;

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

  private readonly s: SqliteStatements;
  private readonly statements: StatementCache;
  private readonly audit: AuditPlanner;
  private readonly texts: AuditTextIndex;
  private readonly sessions: SqliteSessions;
  private readonly writer: SqliteAuditWriter;

  constructor(
    readonly db: Db,
    options: Pick<SqliteStoreOptions, 'probeCap'> = {},
  ) {
    migrate(db);
    // SQLite's lower() folds ASCII only; the filters are defined with JavaScript's toLowerCase.
    db.function('js_lower', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    this.s = prepareSqliteStatements(db);
    this.statements = new StatementCache(db);
    this.texts = new AuditTextIndex(db);
    this.audit = new AuditPlanner(
      db,
      this.statements,
      this.texts,
      options.probeCap ?? DEFAULT_PROBE_CAP,
      () => this.getMeta(META.auditPurgedBefore),
    );
    this.sessions = new SqliteSessions(db);
    this.writer = new SqliteAuditWriter(db, this.s, this.texts, {
      get: (key) => this.getMeta(key),
      set: (key, value) => this.setMeta(key, value),
    });
  }

  close(): void {
    this.writer.close();
    // Lets SQLite refresh the statistics its query planner uses, as its documentation advises.
    this.db.pragma('optimize');
    this.db.close();
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
    this.writer.writePending();
    // A large page cache for the load: pages are written once, not spilled and written again.
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('cache_size = -262144');
    try {
      this.seedInTransaction(data);
    } catch (error) {
      this.texts.forget();
      throw error;
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
      for (let i = data.auditRecords.length - 1; i >= 0; i--) this.writer.insertRow(data.auditRecords[i]!);
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

  /** Appended records are written at the end of the event loop's turn (SqliteAuditWriter). */
  async appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    return this.writer.append(records);
  }

  /**
   * Why the database cannot be written, since when (a full disk); null while it can. The server's
   * /health reports it.
   */
  get writeFailure(): { reason: string; since: string } | null {
    return this.writer.writeFailure;
  }

  /** While writes fail: tries them again now (the writer also does every few seconds). */
  tryWritingAgain(): void {
    this.writer.tryWritingAgain();
  }

  /** Writes the records that wait for the end of this turn now (the process is exiting). */
  writePendingAuditRecords(): void {
    this.writer.writePending();
  }

  /** Before an audit read: the pending records, unless they cannot be written (reads work on a full disk). */
  private writePendingBeforeRead(): void {
    this.writer.writePendingBeforeRead();
  }

  /** A duty that must run once in the installation: this process holds the file alone, so it just runs. */
  async exclusively(_duty: string, work: () => Promise<void>): Promise<void> {
    await work();
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
    this.writer.writePending();
    if ((this.getMeta(META.auditPurgedBefore) ?? '') >= before) return;
    this.db.transaction(() => {
      this.setMeta(META.auditLastId, this.writer.lastId());
      this.setMeta(META.auditPurgedBefore, before);
      this.s.purgeAudit.run(before);
      this.texts.deleteOrphans();
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
