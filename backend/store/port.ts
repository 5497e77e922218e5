import type { AuditRecord } from '../../contract/audit';
import type { AuditFilter } from '../../contract/audit-query';
import type { Outcome } from '../../contract/histogram';
import type { LogEntriesQuery, LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
import type { Settings, SettingsInput } from '../../contract/settings';
import type { Token, TokenListQuery } from '../../contract/tokens';
import type { User } from '../../contract/users';

/** A token as stored: the contract's token plus the hash of its secret (the secret itself is never stored). */
export interface StoredToken extends Token {
  secretHash: string;
  /** The hash of the secret before the last rotation, while it may still work (see previousSecretExpiresAt). */
  previousSecretHash: string | null;
}

/** What editing a token may change. */
export type TokenChanges = Partial<Pick<Token, 'description' | 'expiresAt' | 'ipRestrictions'>>;

/** Everything a backend starts from: the demo seed, or an empty server database. */
export interface DataSet {
  users: User[];
  groups: string[];
  tokens: StoredToken[];
  /** Newest first. */
  auditRecords: AuditRecord[];
  /** Cluster nodes. */
  nodes: string[];
  /** Configured levels on every node. */
  loggers: LoggerConfig[];
  /** Where a node was configured differently (e.g. in its own log4j file). */
  nodeLoggers?: Record<string, LoggerConfig[]>;
  /** Newest first. */
  logEntries: LogEntry[];
}

export type NewAuditRecord = Omit<AuditRecord, 'id'>;

export type AuditListQuery = Partial<AuditFilter> & { cursor?: string; after?: string; limit: number };
export type NewLogEntry = Omit<LogEntry, 'id'>;
export type LogEntryListQuery = Partial<LogEntriesQuery> & { cursor?: string; limit: number };

/** A temporary level change: when to put the previous levels back, node by node. */
export interface LevelRevert {
  name: string;
  revertAt: string;
  previous: Record<string, LogLevel | null>;
  setBy: string;
}

/**
 * What `listTokens` filters by: the parsed `GET /tokens` query (its `all` is the route's business:
 * the route passes `ownerKey` for "own tokens only"), and the clock and warning window that the
 * status filter needs.
 */
export type TokenListFilter = Omit<TokenListQuery, 'all'> & {
  /** Only this user's tokens (by user key); absent: every user's. */
  ownerKey?: string;
  now: Date;
  expiryWarningDays: number;
};

/** A page of a newest-first list, and the cursor of the next page (null: no more). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The storage port. Synchronous on purpose: both adapters (memory, and SQLite through better-sqlite3)
 * answer synchronously, which keeps every service free of async plumbing.
 */
export interface Store {
  listUsers(): User[];
  findUserByKey(key: string): User | undefined;
  findUserByUsername(username: string): User | undefined;
  listGroups(): string[];

  getSettings(): Settings;
  /**
   * Replaces the settings if their version is still `expectedVersion` (compare-and-set);
   * `null` when another save came first.
   */
  saveSettings(input: SettingsInput, expectedVersion: number, by: string, at: Date): Settings | null;

  /**
   * The token whose secret, or whose previous secret (see `rotateTokenSecret`), has this hash; whether
   * a previous secret still works is the caller's to decide from `previousSecretExpiresAt`.
   */
  findTokenByHash(secretHash: string): StoredToken | undefined;
  recordTokenUse(tokenId: string, at: string, clientIp: string): void;
  /** The matching tokens, sorted, sliced to the requested page; `total` counts every match. */
  listTokens(filter: TokenListFilter): { items: StoredToken[]; total: number };
  getToken(id: string): StoredToken | undefined;
  insertToken(token: StoredToken): void;
  /** The updated token; undefined when there is no such token. */
  updateToken(id: string, changes: TokenChanges): StoredToken | undefined;
  /**
   * Gives the token a new secret (its hash). With `previousSecretExpiresAt` the secret it had keeps
   * finding the token until then; with null it stops at once. A secret from before that is forgotten.
   * The updated token; undefined when there is no such token.
   */
  rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): StoredToken | undefined;
  /** The deleted token; undefined when there was none. Its secret no longer authenticates. */
  deleteToken(id: string): StoredToken | undefined;
  /** Deletes every token of the user and returns them. */
  deleteTokensOfUser(ownerKey: string): StoredToken[];

  /**
   * Appends records (ids are assigned here, increasing) and returns them. Every read sees them at
   * once; an adapter may store them a moment later (see whenAuditStored).
   */
  appendAuditRecords(records: NewAuditRecord[]): AuditRecord[];
  /**
   * Resolves once every record appended so far is stored (SQLite writes the records of one turn of
   * the event loop together, at its end); rejects if storing them failed. The backend answers a
   * request only after this, so that no answer goes out before its audit record is stored.
   */
  whenAuditStored(): Promise<void>;
  /**
   * Newest first, matching the filter (as `matchesAuditFilter` defines it); `cursor` is the id of the
   * last record of the previous page; `after` keeps only records newer than that id.
   */
  listAuditRecords(query: AuditListQuery): Page<AuditRecord>;
  getAuditRecord(id: string): AuditRecord | undefined;
  /**
   * Counts of the matching records per bucket and outcome, in one pass (SQL: GROUP BY); `starts` are
   * the ascending bucket start instants (ms), the last bucket ending at `filter.to`.
   */
  auditHistogram(filter: AuditFilter, starts: readonly number[]): Record<Outcome, number>[];
  /** The most frequent values of a field among the matching records (SQL: GROUP BY … ORDER BY count). */
  auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): { value: string; count: number }[];
  /** Retention: records older than `before` are deleted. */
  purgeAuditRecords(before: string): void;

  listNodes(): string[];
  /** The configured levels on one node. */
  listLoggers(node: string): LoggerConfig[];
  setLoggerLevel(node: string, name: string, level: LogLevel | null): void;
  listLevelReverts(): LevelRevert[];
  /** Schedules (or, with null, cancels) putting a logger's previous levels back. */
  setLevelRevert(name: string, revert: LevelRevert | null): void;
  appendLogEntries(entries: NewLogEntry[]): void;
  /**
   * Newest first, matching `matchesLogEntry`. Asynchronous: the real server reads its log file, a
   * chunk per turn of the event loop.
   */
  listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>>;

  /** Demo only: the account the demo is signed in as (the demo's stand-in for a session cookie). */
  getDemoSessionUsername(): string | null;
  setDemoSessionUsername(username: string | null): void;
}
