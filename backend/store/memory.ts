import type { AuditRecord } from '../../contract/audit';
import { compileAuditFilter, type AuditFilter } from '../../contract/audit-query';
import { bucketOf, outcomeOf, type Outcome } from '../../contract/histogram';
import {
  matchesLogEntry,
  type ClusterNode,
  type LogEntry,
  type LoggerConfig,
  type LogLevel,
} from '../../contract/logging';
import { DEFAULT_SETTINGS, type Settings, type SettingsInput } from '../../contract/settings';
import { matchesStatusFilter, tokenSortKey } from '../../contract/tokens';
import type { User } from '../../contract/users';
import { nextId, pageOf } from './newest-first';
import {
  FIRST_ISSUE_ID,
  nodeKnownById,
  splitAuditListQuery,
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
} from './port';

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
  /** Retention: records before this instant are gone. */
  auditPurgedBefore?: string;
  /** The last audit record id given out (ids are never given out twice, even after a purge). */
  auditLastId?: string;
  /** Node → logger name → configured level set since the seed (null: reset to inherited). */
  loggers: Record<string, Record<string, LogLevel | null>>;
  /** Logger name → a pending revert of a temporary level. */
  levelReverts: Record<string, LevelRevert>;
  /** Issues created through the Jira-shaped REST surface, oldest first. */
  issues: StoredIssue[];
}

export function noChanges(demoSessionUsername: string | null = null): MemoryChanges {
  return {
    demoSessionUsername,
    settings: null,
    tokens: {},
    auditRecords: [],
    logEntries: [],
    loggers: {},
    levelReverts: {},
    issues: [],
  };
}

/** Persisted appended records are capped so that the demo's changes fit in browser storage. */
export const MAX_PERSISTED_AUDIT_RECORDS = 4_000;
export const MAX_PERSISTED_LOG_ENTRIES = 2_000;

const INITIAL_SETTINGS: Settings = { ...DEFAULT_SETTINGS, version: 1, updatedAt: null, updatedBy: null };

/** The in-memory storage adapter: the browser demo and the tests. */
export class MemoryStore implements Store {
  private readonly usersByKey: Map<string, User>;
  private readonly usersByName: Map<string, User>;
  /** The current tokens by id and by secret hash: built on first use, then kept up to date. */
  private tokenIndex: TokenIndex | null = null;
  private readonly changes: MemoryChanges;
  /** Each node's logger list, kept until a level changes. */
  private readonly loggersByNode = new Map<string, LoggerConfig[]>();

  constructor(
    private readonly data: DataSet,
    changes: Partial<MemoryChanges> = {},
  ) {
    this.usersByKey = new Map(data.users.map((u) => [u.key, u]));
    this.usersByName = new Map(data.users.map((u) => [u.username, u]));
    this.changes = { ...noChanges(), ...structuredClone(changes) };
  }

  /** Counts changes: the demo persists after a request that changed anything, whatever its method. */
  revision = 0;

  /** The changes since the data set, to persist. */
  exportChanges(): MemoryChanges {
    return {
      ...this.changes,
      auditRecords: this.changes.auditRecords.slice(-MAX_PERSISTED_AUDIT_RECORDS),
      logEntries: this.changes.logEntries.slice(-MAX_PERSISTED_LOG_ENTRIES),
    };
  }

  async listUsers(): Promise<User[]> {
    return this.data.users;
  }
  async findUserByKey(key: string): Promise<User | undefined> {
    return this.usersByKey.get(key);
  }
  async findUserByUsername(username: string): Promise<User | undefined> {
    return this.usersByName.get(username);
  }
  async listGroups(): Promise<string[]> {
    return this.data.groups;
  }

  private settings(): Settings {
    return this.changes.settings ?? INITIAL_SETTINGS;
  }
  async getSettings(): Promise<Settings> {
    return this.settings();
  }
  async saveSettings(
    input: SettingsInput,
    expectedVersion: number,
    by: string,
    at: Date,
  ): Promise<Settings | null> {
    const current = this.settings();
    if (current.version !== expectedVersion) return null;
    const saved: Settings = {
      ...structuredClone(input),
      version: current.version + 1,
      updatedAt: at.toISOString(),
      updatedBy: by,
    };
    this.changes.settings = saved;
    this.revision++;
    return saved;
  }

  private allTokens(): StoredToken[] {
    const changed = this.changes.tokens;
    const seeded = this.data.tokens.filter((t) => !(t.id in changed));
    // A demo's storage written before a token field existed lacks it: the field's "nothing" fills in.
    const current = Object.values(changed)
      .filter((t): t is StoredToken => t !== null)
      .map(
        (t): StoredToken =>
          ({
            previousSecretHash: null,
            previousSecretExpiresAt: null,
            ...(t as Partial<StoredToken>),
          }) as StoredToken,
      );
    return [...seeded, ...current];
  }
  private tokens(): TokenIndex {
    if (!this.tokenIndex) {
      const byId = new Map<string, StoredToken>();
      const byHash = new Map<string, StoredToken>();
      for (const token of this.allTokens()) {
        byId.set(token.id, token);
        for (const hash of secretHashesOf(token)) byHash.set(hash, token);
      }
      this.tokenIndex = { byId, byHash, seededIds: new Set(this.data.tokens.map((t) => t.id)) };
    }
    return this.tokenIndex;
  }
  /** Records a new or changed token in the changes and the index. */
  private putToken(token: StoredToken): void {
    const index = this.tokens();
    const previous = index.byId.get(token.id);
    if (previous) for (const hash of secretHashesOf(previous)) index.byHash.delete(hash);
    index.byId.set(token.id, token);
    for (const hash of secretHashesOf(token)) index.byHash.set(hash, token);
    this.changes.tokens[token.id] = token;
    this.revision++;
  }
  private removeToken(token: StoredToken): void {
    const index = this.tokens();
    index.byId.delete(token.id);
    for (const hash of secretHashesOf(token)) index.byHash.delete(hash);
    // A seeded token needs a tombstone; a token created since the seed simply leaves the changes.
    if (index.seededIds.has(token.id)) this.changes.tokens[token.id] = null;
    else delete this.changes.tokens[token.id];
    this.revision++;
  }

  async findTokenByHash(secretHash: string): Promise<StoredToken | undefined> {
    return this.tokens().byHash.get(secretHash);
  }
  async recordTokenUse(tokenId: string, at: string, clientIp: string): Promise<void> {
    const token = this.tokens().byId.get(tokenId);
    if (token) this.putToken({ ...token, lastUsedAt: at, lastUsedIp: clientIp });
  }
  async listTokens(filter: TokenListFilter): Promise<{ items: StoredToken[]; total: number }> {
    const matches = filterTokens(this.tokens().byId.values(), filter);
    sortTokens(matches, filter.sort, filter.order);
    const start = (filter.page - 1) * filter.pageSize;
    return { items: matches.slice(start, start + filter.pageSize), total: matches.length };
  }
  async getToken(id: string): Promise<StoredToken | undefined> {
    return this.tokens().byId.get(id);
  }
  async insertToken(token: StoredToken): Promise<void> {
    if (this.tokens().byId.has(token.id)) throw new Error(`Token ${token.id} exists already`);
    this.putToken({ ...token, ipRestrictions: [...token.ipRestrictions] });
  }
  async updateToken(id: string, changes: TokenChanges): Promise<StoredToken | undefined> {
    const token = this.tokens().byId.get(id);
    if (!token) return undefined;
    const updated = { ...token, ...structuredClone(changes) };
    this.putToken(updated);
    return updated;
  }
  async rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): Promise<StoredToken | undefined> {
    const token = this.tokens().byId.get(id);
    if (!token) return undefined;
    const rotated: StoredToken = {
      ...token,
      secretHash,
      previousSecretHash: previousSecretExpiresAt === null ? null : token.secretHash,
      previousSecretExpiresAt,
    };
    this.putToken(rotated);
    return rotated;
  }
  async deleteToken(id: string): Promise<StoredToken | undefined> {
    const token = this.tokens().byId.get(id);
    if (token) this.removeToken(token);
    return token;
  }
  async deleteTokensOfUser(ownerKey: string): Promise<StoredToken[]> {
    const deleted = [...this.tokens().byId.values()].filter((t) => t.ownerKey === ownerKey);
    for (const token of deleted) this.removeToken(token);
    return deleted;
  }

  /** Stored when appended. */
  async appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    let last =
      this.changes.auditLastId ??
      this.changes.auditRecords.at(-1)?.id ??
      this.data.auditRecords[0]?.id ??
      'ar-000000000';
    const appended = records.map((record) => {
      last = nextId(last);
      return { id: last, ...record };
    });
    this.changes.auditRecords.push(...appended);
    this.changes.auditLastId = last;
    this.revision++;
    return appended;
  }
  async listAuditRecords(query: AuditListQuery): Promise<Page<AuditRecord>> {
    return this.auditPage(query);
  }
  private auditPage(query: AuditListQuery): Page<AuditRecord> {
    const { filter, cursor, after, limit } = splitAuditListQuery(query);
    const floor = [filter.from, this.changes.auditPurgedBefore].filter(Boolean).sort().at(-1);
    const matches = compileAuditFilter(filter);
    const items: AuditRecord[] = [];
    // Visits one record, newest first; false once the page is full or nothing older can match.
    const visit = (record: AuditRecord): boolean => {
      if (after !== undefined && record.id <= after) return false;
      if (floor !== undefined && record.timestamp < floor) return false;
      if (cursor !== undefined && record.id >= cursor) return true;
      if (matches(record)) items.push(record);
      return items.length <= limit;
    };
    const appended = this.changes.auditRecords;
    let more = true;
    for (let i = appended.length - 1; i >= 0 && more; i--) more = visit(appended[i]!);
    const seeded = this.data.auditRecords;
    // The seed is sorted newest first: jump past what is newer than the cursor or the range's end.
    let start = 0;
    if (cursor !== undefined) start = firstIndex(seeded, (r) => r.id < cursor);
    if (filter.to !== undefined)
      start = Math.max(
        start,
        firstIndex(seeded, (r) => r.timestamp <= filter.to!),
      );
    for (let i = start; i < seeded.length && more; i++) more = visit(seeded[i]!);
    return pageOf(items, limit);
  }
  async getAuditRecord(id: string): Promise<AuditRecord | undefined> {
    const purged = this.changes.auditPurgedBefore;
    const seeded = this.data.auditRecords;
    const record =
      this.changes.auditRecords.find((r) => r.id === id) ?? seeded[firstIndex(seeded, (r) => r.id <= id)];
    if (!record || record.id !== id || (purged !== undefined && record.timestamp < purged)) return undefined;
    return record;
  }
  async auditHistogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
    if (starts.length === 0) return counts;
    const matches = compileAuditFilter(filter);
    const floor = [filter.from, this.changes.auditPurgedBefore].filter(Boolean).sort().at(-1);
    const count = (record: AuditRecord) => {
      if (!matches(record)) return;
      const bucket = bucketOf(starts, Date.parse(record.timestamp));
      if (bucket >= 0) counts[bucket]![outcomeOf(record.summary)]++;
    };
    for (const record of this.changes.auditRecords)
      if (floor === undefined || record.timestamp >= floor) count(record);
    const seeded = this.data.auditRecords;
    const start = filter.to !== undefined ? firstIndex(seeded, (r) => r.timestamp <= filter.to!) : 0;
    for (let i = start; i < seeded.length; i++) {
      const record = seeded[i]!;
      if (floor !== undefined && record.timestamp < floor) break;
      count(record);
    }
    return counts;
  }
  async auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    const counts = new Map<string, number>();
    let cursor: string | undefined;
    // Page through the matches (constant memory), counting as we go.
    for (;;) {
      const page = this.auditPage({ ...filter, cursor, limit: 1000 });
      for (const record of page.items) {
        const value = field === 'clientIp' ? record.source.clientIp : record.details.username;
        if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
  }
  async purgeAuditRecords(before: string): Promise<void> {
    if ((this.changes.auditPurgedBefore ?? '') >= before) return;
    this.changes.auditPurgedBefore = before;
    this.changes.auditRecords = this.changes.auditRecords.filter((r) => r.timestamp >= before);
    this.revision++;
  }

  async listNodes(): Promise<ClusterNode[]> {
    return this.data.nodes.map(nodeKnownById);
  }
  async listLoggers(node: string): Promise<LoggerConfig[]> {
    // The same list until a level changes: the log writer works out effective levels once per list.
    let loggers = this.loggersByNode.get(node);
    if (!loggers) {
      const levels = new Map(this.data.loggers.map((l) => [l.name, l.configuredLevel]));
      for (const l of this.data.nodeLoggers?.[node] ?? []) levels.set(l.name, l.configuredLevel);
      for (const [name, level] of Object.entries(this.changes.loggers[node] ?? {})) levels.set(name, level);
      loggers = [...levels].map(([name, configuredLevel]) => ({ name, configuredLevel }));
      this.loggersByNode.set(node, loggers);
    }
    return loggers;
  }
  async setLoggerLevel(node: string, name: string, level: LogLevel | null): Promise<void> {
    (this.changes.loggers[node] ??= {})[name] = level;
    this.loggersByNode.clear();
    this.revision++;
  }
  async listLevelReverts(): Promise<LevelRevert[]> {
    return Object.values(this.changes.levelReverts);
  }
  async setLevelRevert(name: string, revert: LevelRevert | null): Promise<void> {
    if (revert) this.changes.levelReverts[name] = revert;
    else delete this.changes.levelReverts[name];
    this.revision++;
  }
  async appendLogEntries(entries: NewLogEntry[]): Promise<void> {
    let last = this.changes.logEntries.at(-1)?.id ?? this.data.logEntries[0]?.id ?? 'le-000000000';
    for (const entry of entries) {
      last = nextId(last);
      this.changes.logEntries.push({ id: last, ...entry });
    }
    this.revision++;
  }
  async listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
    return pageNewestFirst(
      this.changes.logEntries,
      this.data.logEntries,
      (e) => matchesLogEntry(e, filter),
      query,
    );
  }

  async createIssue(issue: NewIssue): Promise<StoredIssue> {
    const { issues } = this.changes;
    const number = issues.filter((i) => i.projectKey === issue.projectKey).length + 1;
    const created = {
      ...issue,
      id: String(FIRST_ISSUE_ID + issues.length),
      key: `${issue.projectKey}-${number}`,
    };
    issues.push(created);
    this.revision++;
    return created;
  }
  async findIssue(idOrKey: string): Promise<StoredIssue | undefined> {
    return this.changes.issues.find((i) => i.id === idOrKey || i.key === idOrKey);
  }

  async getDemoSessionUsername(): Promise<string | null> {
    return this.changes.demoSessionUsername;
  }
  async setDemoSessionUsername(username: string | null): Promise<void> {
    this.changes.demoSessionUsername = username;
    this.revision++;
  }
}

/** The hashes that find a token: its secret's, and its previous secret's after a rotation. */
function secretHashesOf(token: StoredToken): string[] {
  return token.previousSecretHash === null
    ? [token.secretHash]
    : [token.secretHash, token.previousSecretHash];
}

interface TokenIndex {
  byId: Map<string, StoredToken>;
  byHash: Map<string, StoredToken>;
  /** Ids of the data set's tokens (a deleted one needs a tombstone in the changes). */
  seededIds: Set<string>;
}

type Bounds = { from: number; to: number } | null;

/** Inclusive bounds of a date range filter, as epoch milliseconds (null: no filter on that field). */
function bounds(from: string | undefined, to: string | undefined): Bounds {
  if (from === undefined && to === undefined) return null;
  return {
    from: from === undefined ? -Infinity : Date.parse(from),
    to: to === undefined ? Infinity : Date.parse(to),
  };
}

/** A token without the date never matches a range on it (a never-used token has no "last used" day). */
function inBounds(value: string | null, range: Bounds): boolean {
  if (range === null) return true;
  if (value === null) return false;
  const at = Date.parse(value);
  return at >= range.from && at <= range.to;
}

/** The tokens matching every filter, in one pass. */
function filterTokens(tokens: Iterable<StoredToken>, filter: TokenListFilter): StoredToken[] {
  const owners = filter.owner.length > 0 ? new Set(filter.owner) : null;
  const q = filter.q ? filter.q.toLowerCase() : null;
  const created = bounds(filter.createdFrom, filter.createdTo);
  const lastUsed = bounds(filter.lastUsedFrom, filter.lastUsedTo);
  const expires = bounds(filter.expiresFrom, filter.expiresTo);
  const matches: StoredToken[] = [];
  for (const token of tokens) {
    if (filter.ownerKey !== undefined && token.ownerKey !== filter.ownerKey) continue;
    if (owners && !owners.has(token.ownerUsername)) continue;
    if (filter.scope && token.scope !== filter.scope) continue;
    if (filter.neverUsed && token.lastUsedAt !== null) continue;
    if (q !== null && !token.description.toLowerCase().includes(q)) continue;
    if (!inBounds(token.createdAt, created)) continue;
    if (!inBounds(token.lastUsedAt, lastUsed)) continue;
    if (!inBounds(token.expiresAt, expires)) continue;
    if (!matchesStatusFilter(token, filter.status, filter.now, filter.expiryWarningDays)) continue;
    matches.push(token);
  }
  return matches;
}

/**
 * Sorts by the date field in place ("Never" where `NEVER_SORTS_AS` puts it), the id as tiebreak in the
 * same direction, so the order is total and stable.
 */
function sortTokens(
  tokens: StoredToken[],
  field: TokenListFilter['sort'],
  order: TokenListFilter['order'],
): void {
  const keys = new Map<StoredToken, number>();
  for (const token of tokens) keys.set(token, tokenSortKey(token, field));
  const sign = order === 'asc' ? 1 : -1;
  tokens.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
    return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign;
  });
}

/** The first index of a newest-first list at which `older` holds (it holds for every later index). */
function firstIndex<T>(items: readonly T[], older: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (older(items[mid]!)) high = mid;
    else low = mid + 1;
  }
  return low;
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
  return pageOf(items, limit);
}
