import type { AuditRecord } from '../../contract/audit';
import { AuditFilterSchema, type AuditFilter } from '../../contract/audit-query';
import type { Outcome } from '../../contract/histogram';
import type { ClusterNode, LogEntriesQuery, LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
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

/** A list query's filter (parsed: defaults filled in) and its paging. */
export function splitAuditListQuery({ cursor, after, limit, ...filter }: AuditListQuery) {
  return { filter: AuditFilterSchema.parse(filter), cursor, after, limit };
}
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

/** A node known only by its id, taken to be up (the demo's simulated nodes, a single process's node). */
export const nodeKnownById = (id: string): ClusterNode => ({
  id,
  state: 'up',
  address: null,
  version: null,
  startedAt: null,
  lastSeenAt: null,
});

/**
 * An issue created through the Jira-shaped REST surface (`POST /rest/api/2/issue`). The store assigns
 * its id (a number as text, from 10000 up, as Jira's are) and key (the project key and the project's
 * next number, "DEMO-1").
 */
export interface StoredIssue {
  id: string;
  key: string;
  projectKey: string;
  issueTypeId: string;
  summary: string;
  description: string | null;
  reporterKey: string;
  /** The reporter's username when the issue was created (the user may be removed later). */
  reporterUsername: string;
  createdAt: string;
}
export type NewIssue = Omit<StoredIssue, 'id' | 'key'>;
/** The id of an installation's first issue. */
export const FIRST_ISSUE_ID = 10_000;

/** A page of a newest-first list, and the cursor of the next page (null: no more). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The storage port. Asynchronous, so that a networked database can sit behind it as well as the
 * in-process ones (memory; SQLite through better-sqlite3, whose calls finish before their promise is
 * made): every method answers a promise, and every caller awaits it. The real server reads through
 * `CachedStore` (cached-store.ts), which keeps the hot reads of the token path in memory.
 * See docs/decisions/0009-async-store-port.md.
 */
export interface Store {
  listUsers(): Promise<User[]>;
  findUserByKey(key: string): Promise<User | undefined>;
  findUserByUsername(username: string): Promise<User | undefined>;
  listGroups(): Promise<string[]>;

  getSettings(): Promise<Settings>;
  /**
   * Replaces the settings if their version is still `expectedVersion` (compare-and-set);
   * `null` when another save came first.
   */
  saveSettings(input: SettingsInput, expectedVersion: number, by: string, at: Date): Promise<Settings | null>;

  /**
   * The token whose secret, or whose previous secret (see `rotateTokenSecret`), has this hash; whether
   * a previous secret still works is the caller's to decide from `previousSecretExpiresAt`.
   */
  findTokenByHash(secretHash: string): Promise<StoredToken | undefined>;
  recordTokenUse(tokenId: string, at: string, clientIp: string): Promise<void>;
  /** The matching tokens, sorted, sliced to the requested page; `total` counts every match. */
  listTokens(filter: TokenListFilter): Promise<{ items: StoredToken[]; total: number }>;
  getToken(id: string): Promise<StoredToken | undefined>;
  insertToken(token: StoredToken): Promise<void>;
  /** The updated token; undefined when there is no such token. */
  updateToken(id: string, changes: TokenChanges): Promise<StoredToken | undefined>;
  /**
   * Gives the token a new secret (its hash). With `previousSecretExpiresAt` the secret it had keeps
   * finding the token until then; with null it stops at once. A secret from before that is forgotten.
   * The updated token; undefined when there is no such token.
   */
  rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): Promise<StoredToken | undefined>;
  /** The deleted token; undefined when there was none. Its secret no longer authenticates. */
  deleteToken(id: string): Promise<StoredToken | undefined>;
  /** Deletes every token of the user and returns them. */
  deleteTokensOfUser(ownerKey: string): Promise<StoredToken[]>;

  /**
   * Appends records (ids are assigned in call order, increasing) and resolves with them once they are
   * stored; rejects if storing them failed. The backend answers a request only after this, so that no
   * answer goes out before its audit records are stored. (An adapter may store the records of several
   * calls together: SQLite writes those of one turn of the event loop in one transaction.)
   */
  appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]>;
  /**
   * Newest first, matching the filter (as `matchesAuditFilter` defines it); `cursor` is the id of the
   * last record of the previous page; `after` keeps only records newer than that id.
   */
  listAuditRecords(query: AuditListQuery): Promise<Page<AuditRecord>>;
  getAuditRecord(id: string): Promise<AuditRecord | undefined>;
  /**
   * Counts of the matching records per bucket and outcome, in one pass (SQL: GROUP BY); `starts` are
   * the ascending bucket start instants (ms), the last bucket ending at `filter.to`.
   */
  auditHistogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]>;
  /** The most frequent values of a field among the matching records (SQL: GROUP BY … ORDER BY count). */
  auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]>;
  /** Retention: records older than `before` are deleted. */
  purgeAuditRecords(before: string): Promise<void>;

  /**
   * The cluster's nodes, in the order they joined, with their state (a single process: its node, up;
   * the demo: its simulated nodes, up).
   */
  listNodes(): Promise<ClusterNode[]>;
  /**
   * The configured levels on one node. The same array until a level changes (the log writer works
   * out effective levels once per array): the memory adapter and `CachedStore` keep it.
   */
  listLoggers(node: string): Promise<LoggerConfig[]>;
  setLoggerLevel(node: string, name: string, level: LogLevel | null): Promise<void>;
  listLevelReverts(): Promise<LevelRevert[]>;
  /** Schedules (or, with null, cancels) putting a logger's previous levels back. */
  setLevelRevert(name: string, revert: LevelRevert | null): Promise<void>;
  appendLogEntries(entries: NewLogEntry[]): Promise<void>;
  /**
   * Newest first, matching `matchesLogEntry`. (The real server reads its log file, a chunk per turn
   * of the event loop.)
   */
  listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>>;

  /** Creates an issue of the installation, assigning its id and key. */
  createIssue(issue: NewIssue): Promise<StoredIssue>;
  /** An issue by its id or its key; undefined when there is none. */
  findIssue(idOrKey: string): Promise<StoredIssue | undefined>;

  /** Demo only: the account the demo is signed in as (the demo's stand-in for a session cookie). */
  getDemoSessionUsername(): Promise<string | null>;
  setDemoSessionUsername(username: string | null): Promise<void>;
}
