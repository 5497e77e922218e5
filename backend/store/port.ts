import type { AuditRecord } from '../../contract/audit';
import type { LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
import type { Settings, SettingsInput } from '../../contract/settings';
import type { Token } from '../../contract/tokens';
import type { User } from '../../contract/users';

/** A token as stored: the contract's token plus the hash of its secret (the secret itself is never stored). */
export interface StoredToken extends Token {
  secretHash: string;
}

/** Everything a backend starts from: the demo seed, or an empty server database. */
export interface DataSet {
  users: User[];
  groups: string[];
  tokens: StoredToken[];
  /** Newest first. */
  auditRecords: AuditRecord[];
  loggers: LoggerConfig[];
  /** Newest first. */
  logEntries: LogEntry[];
}

export type NewAuditRecord = Omit<AuditRecord, 'id'>;
export type NewLogEntry = Omit<LogEntry, 'id'>;

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

  findTokenByHash(secretHash: string): StoredToken | undefined;
  recordTokenUse(tokenId: string, at: string, clientIp: string): void;

  /** Appends records (ids are assigned here, increasing) and returns them. */
  appendAuditRecords(records: NewAuditRecord[]): AuditRecord[];
  /** Newest first; `cursor` is the id of the last record of the previous page. */
  listAuditRecords(query: { summary?: readonly string[]; cursor?: string; limit: number }): Page<AuditRecord>;

  listLoggers(): LoggerConfig[];
  appendLogEntries(entries: NewLogEntry[]): LogEntry[];
  listLogEntries(query: { cursor?: string; limit: number }): Page<LogEntry>;
  setLoggerLevel(name: string, level: LogLevel | null): void;

  /** Demo only: the account the demo is signed in as (the demo's stand-in for a session cookie). */
  getDemoSessionUsername(): string | null;
  setDemoSessionUsername(username: string | null): void;
}
