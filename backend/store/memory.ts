import type { AuditRecord } from '../../contract/audit';
import type { LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
import { DEFAULT_SETTINGS, type Settings, type SettingsInput } from '../../contract/settings';
import type { User } from '../../contract/users';
import type { DataSet, NewAuditRecord, NewLogEntry, Page, Store, StoredToken } from './port';

/**
 * What changed on top of the data set. The demo persists only this (browser storage holds a few MB;
 * the seeded data set is far larger) and regenerates the rest from the seed.
 */
export interface MemoryChanges {
  demoSessionUsername: string | null;
  settings: Settings | null;
  /** Token id → the token as it is now, or null once deleted. */
  tokens: Record<string, StoredToken | null>;
  /** Appended audit records, oldest first. */
  auditRecords: AuditRecord[];
  /** Appended log entries, oldest first. */
  logEntries: LogEntry[];
  /** Logger name → configured level set since the seed (null: reset to inherited). */
  loggers: Record<string, LogLevel | null>;
}

export function noChanges(demoSessionUsername: string | null = null): MemoryChanges {
  return { demoSessionUsername, settings: null, tokens: {}, auditRecords: [], logEntries: [], loggers: {} };
}

/** Persisted appended records are capped so that the demo's changes fit in browser storage. */
export const MAX_PERSISTED_AUDIT_RECORDS = 4_000;
export const MAX_PERSISTED_LOG_ENTRIES = 2_000;

const INITIAL_SETTINGS: Settings = { ...DEFAULT_SETTINGS, version: 1, updatedAt: null, updatedBy: null };

/** The in-memory storage adapter: the browser demo and the tests. */
export class MemoryStore implements Store {
  private readonly usersByKey: Map<string, User>;
  private readonly usersByName: Map<string, User>;
  private readonly tokensByHash = new Map<string, StoredToken>();
  private readonly changes: MemoryChanges;

  constructor(
    private readonly data: DataSet,
    changes: Partial<MemoryChanges> = {},
  ) {
    this.usersByKey = new Map(data.users.map((u) => [u.key, u]));
    this.usersByName = new Map(data.users.map((u) => [u.username, u]));
    this.changes = { ...noChanges(), ...structuredClone(changes) };
    for (const token of this.allTokens()) this.tokensByHash.set(token.secretHash, token);
  }

  /** The changes since the data set, to persist. */
  exportChanges(): MemoryChanges {
    return {
      ...this.changes,
      auditRecords: this.changes.auditRecords.slice(-MAX_PERSISTED_AUDIT_RECORDS),
      logEntries: this.changes.logEntries.slice(-MAX_PERSISTED_LOG_ENTRIES),
    };
  }

  listUsers(): User[] {
    return this.data.users;
  }
  findUserByKey(key: string): User | undefined {
    return this.usersByKey.get(key);
  }
  findUserByUsername(username: string): User | undefined {
    return this.usersByName.get(username);
  }
  listGroups(): string[] {
    return this.data.groups;
  }

  getSettings(): Settings {
    return this.changes.settings ?? INITIAL_SETTINGS;
  }
  saveSettings(input: SettingsInput, expectedVersion: number, by: string, at: Date): Settings | null {
    const current = this.getSettings();
    if (current.version !== expectedVersion) return null;
    const saved: Settings = {
      ...structuredClone(input),
      version: current.version + 1,
      updatedAt: at.toISOString(),
      updatedBy: by,
    };
    this.changes.settings = saved;
    return saved;
  }

  private allTokens(): StoredToken[] {
    const changed = this.changes.tokens;
    const seeded = this.data.tokens.filter((t) => !(t.id in changed));
    const current = Object.values(changed).filter((t): t is StoredToken => t !== null);
    return [...seeded, ...current];
  }
  findTokenByHash(secretHash: string): StoredToken | undefined {
    return this.tokensByHash.get(secretHash);
  }
  recordTokenUse(tokenId: string, at: string, clientIp: string): void {
    const token = this.allTokens().find((t) => t.id === tokenId);
    if (!token) return;
    const updated = { ...token, lastUsedAt: at, lastUsedIp: clientIp };
    this.changes.tokens[tokenId] = updated;
    this.tokensByHash.set(updated.secretHash, updated);
  }

  appendAuditRecords(records: NewAuditRecord[]): AuditRecord[] {
    let last = this.changes.auditRecords.at(-1)?.id ?? this.data.auditRecords[0]?.id ?? 'ar-000000000';
    const appended = records.map((record) => {
      last = nextId(last);
      return { id: last, ...record };
    });
    this.changes.auditRecords.push(...appended);
    return appended;
  }
  listAuditRecords(query: {
    summary?: readonly string[];
    cursor?: string;
    limit: number;
  }): Page<AuditRecord> {
    const summaries = query.summary?.length ? new Set(query.summary) : null;
    return pageNewestFirst(
      this.changes.auditRecords,
      this.data.auditRecords,
      (r) => !summaries || summaries.has(r.summary),
      query,
    );
  }

  listLoggers(): LoggerConfig[] {
    const levels = new Map(this.data.loggers.map((l) => [l.name, l.configuredLevel]));
    for (const [name, level] of Object.entries(this.changes.loggers)) levels.set(name, level);
    return [...levels].map(([name, configuredLevel]) => ({ name, configuredLevel }));
  }
  setLoggerLevel(name: string, level: LogLevel | null): void {
    this.changes.loggers[name] = level;
  }
  appendLogEntries(entries: NewLogEntry[]): LogEntry[] {
    let last = this.changes.logEntries.at(-1)?.id ?? this.data.logEntries[0]?.id ?? 'le-000000000';
    const appended = entries.map((entry) => {
      last = nextId(last);
      return { id: last, ...entry };
    });
    this.changes.logEntries.push(...appended);
    return appended;
  }
  listLogEntries(query: { cursor?: string; limit: number }): Page<LogEntry> {
    return pageNewestFirst(this.changes.logEntries, this.data.logEntries, () => true, query);
  }

  getDemoSessionUsername(): string | null {
    return this.changes.demoSessionUsername;
  }
  setDemoSessionUsername(username: string | null): void {
    this.changes.demoSessionUsername = username;
  }
}

/** Ids are a prefix and a zero-padded sequence number, so that a newer item has a greater id. */
function nextId(id: string): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  if (!match) throw new Error(`Unexpected id ${id}`);
  const [, prefix = '', digits = ''] = match;
  return prefix + String(Number(digits) + 1).padStart(digits.length, '0');
}

/** A newest-first page over appended items (oldest first) followed by seeded ones (newest first). */
function pageNewestFirst<T extends { id: string }>(
  appended: readonly T[],
  seeded: readonly T[],
  matches: (item: T) => boolean,
  { cursor, limit }: { cursor?: string; limit: number },
): Page<T> {
  const items: T[] = [];
  const take = (item: T) => {
    if (cursor !== undefined && item.id >= cursor) return true;
    if (!matches(item)) return true;
    items.push(item);
    return items.length <= limit;
  };
  let more = true;
  for (let i = appended.length - 1; i >= 0 && more; i--) more = take(appended[i]!);
  for (let i = 0; i < seeded.length && more; i++) more = take(seeded[i]!);
  const hasMore = items.length > limit;
  const page = hasMore ? items.slice(0, limit) : items;
  return { items: page, nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null };
}
