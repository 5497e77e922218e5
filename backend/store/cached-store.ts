import type { AuditRecord } from '../../contract/audit';
import type { AuditFilter } from '../../contract/audit-query';
import type { Outcome } from '../../contract/histogram';
import type { ClusterNode, LogEntry, LoggerConfig, LogLevel } from '../../contract/logging';
import type { Settings, SettingsInput } from '../../contract/settings';
import type { User } from '../../contract/users';
import type {
  AuditListQuery,
  LevelRevert,
  LogEntryListQuery,
  NewAuditRecord,
  NewIssue,
  NewLogEntry,
  Page,
  Store,
  StoredIssue,
  StoredToken,
  TokenChanges,
  TokenListFilter,
} from './port';

/**
 * What a change makes stale in a cache: what a write through `CachedStore` drops, and what a change
 * notification from another node names (a plain object, so that it travels as JSON). `loggers` covers
 * the levels and the pending reverts (and a node joining, which has levels of its own); `retention`
 * the retention floor, which the PostgreSQL store keeps (this cache keeps no audit record).
 */
export type StoreChange =
  | { kind: 'token'; id: string }
  | { kind: 'user'; key: string }
  | { kind: 'settings' }
  | { kind: 'loggers' }
  | { kind: 'retention' }
  | { kind: 'everything' };

export interface CachedStoreOptions {
  /** How many found tokens, and how many found users, are kept at most (default 10,000 each). */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
/** Nodes whose logger levels are kept (a cluster has a handful; the bound is for safety only). */
const MAX_NODES = 100;

type CacheKind = 'tokens' | 'users' | 'settings' | 'loggers';

/**
 * The one cache of the store, in front of any adapter: the reads on every authenticated request
 * (settings, a token by the hash of its secret, its owner by key, a node's logger levels, pending level
 * reverts) are answered from memory while nothing changed, so the token path does not wait on the
 * database. See docs/decisions/0009-async-store-port.md.
 *
 * - Found tokens and users only (a wrong secret never fills the cache), at most `maxEntries` of each;
 *   the oldest is forgotten first.
 * - Every write through it drops what it changes, once the write is done (whether it succeeded or not).
 * - `invalidate` drops what a change elsewhere made stale (another node, another process).
 * - A read that was under way while a change of its kind was dropped is answered but not kept: it may
 *   have read the database before the change.
 *
 * Everything else passes through to the adapter.
 */
export class CachedStore implements Store {
  private readonly maxEntries: number;
  private settings: Settings | undefined;
  private reverts: LevelRevert[] | undefined;
  private readonly loggersByNode = new Map<string, LoggerConfig[]>();
  private readonly tokensByHash = new Map<string, StoredToken>();
  /** The hashes a token is cached under: its secret's, and after a rotation its previous secret's. */
  private readonly tokenHashesById = new Map<string, Set<string>>();
  private readonly usersByKey = new Map<string, User>();
  /** Counts the drops of each kind: a read keeps its answer only if none happened while it ran. */
  private readonly generations: Record<CacheKind, number> = { tokens: 0, users: 0, settings: 0, loggers: 0 };

  constructor(
    private readonly inner: Store,
    options: CachedStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Drops what the change made stale; the next read of it goes to the adapter. */
  invalidate(change: StoreChange): void {
    switch (change.kind) {
      case 'token': {
        this.generations.tokens++;
        this.forgetToken(change.id);
        return;
      }
      case 'user':
        this.generations.users++;
        this.usersByKey.delete(change.key);
        return;
      case 'settings':
        this.generations.settings++;
        this.settings = undefined;
        return;
      case 'loggers':
        this.generations.loggers++;
        this.loggersByNode.clear();
        this.reverts = undefined;
        return;
      case 'retention':
        return;
      case 'everything':
        this.invalidateTokens();
        this.generations.users++;
        this.usersByKey.clear();
        this.invalidate({ kind: 'settings' });
        this.invalidate({ kind: 'loggers' });
        return;
    }
  }

  private invalidateTokens(): void {
    this.generations.tokens++;
    this.tokensByHash.clear();
    this.tokenHashesById.clear();
  }

  /** Drops every hash a token is cached under (a rotated token's previous secret's too). */
  private forgetToken(id: string): void {
    for (const hash of this.tokenHashesById.get(id) ?? []) this.tokensByHash.delete(hash);
    this.tokenHashesById.delete(id);
  }

  /**
   * A read the cache does not hold: from the adapter, kept (`keep`) if found and if no change of its
   * kind was dropped while it ran. (A hit is answered without it: the token path reads several
   * entries per request.)
   */
  private async read<T>(
    kind: CacheKind,
    load: Promise<T>,
    keep: (value: NonNullable<T>) => void,
  ): Promise<T> {
    const generation = this.generations[kind];
    const value = await load;
    if (value !== undefined && value !== null && generation === this.generations[kind]) keep(value);
    return value;
  }

  /** Runs a write, then drops what it changes (also when it failed: it may have changed something). */
  private async writing<T>(write: Promise<T>, changes: (result: T | undefined) => void): Promise<T> {
    let result: T | undefined;
    try {
      result = await write;
      return result;
    } finally {
      changes(result);
    }
  }

  // Users.

  listUsers(): Promise<User[]> {
    return this.inner.listUsers();
  }
  findUserByKey(key: string): Promise<User | undefined> {
    const cached = this.usersByKey.get(key);
    if (cached) return Promise.resolve(cached);
    return this.read('users', this.inner.findUserByKey(key), (user) =>
      remember(this.usersByKey, this.maxEntries, key, user),
    );
  }
  findUserByUsername(username: string): Promise<User | undefined> {
    return this.inner.findUserByUsername(username);
  }
  listGroups(): Promise<string[]> {
    return this.inner.listGroups();
  }

  // Settings.

  getSettings(): Promise<Settings> {
    if (this.settings) return Promise.resolve(this.settings);
    return this.read('settings', this.inner.getSettings(), (settings) => (this.settings = settings));
  }
  saveSettings(
    input: SettingsInput,
    expectedVersion: number,
    by: string,
    at: Date,
  ): Promise<Settings | null> {
    return this.writing(this.inner.saveSettings(input, expectedVersion, by, at), () =>
      this.invalidate({ kind: 'settings' }),
    );
  }

  // Tokens.

  findTokenByHash(secretHash: string): Promise<StoredToken | undefined> {
    const cached = this.tokensByHash.get(secretHash);
    if (cached) return Promise.resolve(cached);
    return this.read('tokens', this.inner.findTokenByHash(secretHash), (token) => {
      const evicted = remember(this.tokensByHash, this.maxEntries, secretHash, token);
      if (evicted) this.forgetToken(evicted.id);
      const hashes = this.tokenHashesById.get(token.id) ?? new Set<string>();
      this.tokenHashesById.set(token.id, hashes.add(secretHash));
    });
  }
  recordTokenUse(tokenId: string, at: string, clientIp: string): Promise<void> {
    return this.writing(this.inner.recordTokenUse(tokenId, at, clientIp), () =>
      this.invalidate({ kind: 'token', id: tokenId }),
    );
  }
  listTokens(filter: TokenListFilter): Promise<{ items: StoredToken[]; total: number }> {
    return this.inner.listTokens(filter);
  }
  getToken(id: string): Promise<StoredToken | undefined> {
    return this.inner.getToken(id);
  }
  insertToken(token: StoredToken): Promise<void> {
    return this.writing(this.inner.insertToken(token), () =>
      this.invalidate({ kind: 'token', id: token.id }),
    );
  }
  updateToken(id: string, changes: TokenChanges): Promise<StoredToken | undefined> {
    return this.writing(this.inner.updateToken(id, changes), () => this.invalidate({ kind: 'token', id }));
  }
  rotateTokenSecret(
    id: string,
    secretHash: string,
    previousSecretExpiresAt: string | null,
  ): Promise<StoredToken | undefined> {
    return this.writing(this.inner.rotateTokenSecret(id, secretHash, previousSecretExpiresAt), () =>
      this.invalidate({ kind: 'token', id }),
    );
  }
  deleteToken(id: string): Promise<StoredToken | undefined> {
    return this.writing(this.inner.deleteToken(id), () => this.invalidate({ kind: 'token', id }));
  }
  deleteTokensOfUser(ownerKey: string): Promise<StoredToken[]> {
    return this.writing(this.inner.deleteTokensOfUser(ownerKey), (deleted) => {
      if (!deleted) return this.invalidateTokens(); // failed part-way, perhaps: which ones is unknown
      for (const token of deleted) this.invalidate({ kind: 'token', id: token.id });
    });
  }

  // Audit records (not cached: every read is a different query).

  appendAuditRecords(records: NewAuditRecord[]): Promise<AuditRecord[]> {
    return this.inner.appendAuditRecords(records);
  }
  listAuditRecords(query: AuditListQuery): Promise<Page<AuditRecord>> {
    return this.inner.listAuditRecords(query);
  }
  getAuditRecord(id: string): Promise<AuditRecord | undefined> {
    return this.inner.getAuditRecord(id);
  }
  auditHistogram(filter: AuditFilter, starts: readonly number[]): Promise<Record<Outcome, number>[]> {
    return this.inner.auditHistogram(filter, starts);
  }
  auditTopValues(
    filter: AuditFilter,
    field: 'clientIp' | 'username',
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    return this.inner.auditTopValues(filter, field, limit);
  }
  purgeAuditRecords(before: string): Promise<void> {
    return this.inner.purgeAuditRecords(before);
  }

  // Logging.

  /** Not kept: a node's state changes with the time since it was last heard of. */
  listNodes(): Promise<ClusterNode[]> {
    return this.inner.listNodes();
  }
  /** The same array until a level changes (the log writer works out effective levels once per array). */
  listLoggers(node: string): Promise<LoggerConfig[]> {
    const cached = this.loggersByNode.get(node);
    if (cached) return Promise.resolve(cached);
    return this.read('loggers', this.inner.listLoggers(node), (loggers) =>
      remember(this.loggersByNode, MAX_NODES, node, loggers),
    );
  }
  setLoggerLevel(node: string, name: string, level: LogLevel | null): Promise<void> {
    return this.writing(this.inner.setLoggerLevel(node, name, level), () =>
      this.invalidate({ kind: 'loggers' }),
    );
  }
  /** Read before every request (a due revert is applied first). */
  listLevelReverts(): Promise<LevelRevert[]> {
    if (this.reverts) return Promise.resolve(this.reverts);
    return this.read('loggers', this.inner.listLevelReverts(), (reverts) => (this.reverts = reverts));
  }
  setLevelRevert(name: string, revert: LevelRevert | null): Promise<void> {
    return this.writing(this.inner.setLevelRevert(name, revert), () => this.invalidate({ kind: 'loggers' }));
  }
  appendLogEntries(entries: NewLogEntry[]): Promise<void> {
    return this.inner.appendLogEntries(entries);
  }
  listLogEntries(query: LogEntryListQuery): Promise<Page<LogEntry>> {
    return this.inner.listLogEntries(query);
  }

  createIssue(issue: NewIssue): Promise<StoredIssue> {
    return this.inner.createIssue(issue);
  }
  findIssue(idOrKey: string): Promise<StoredIssue | undefined> {
    return this.inner.findIssue(idOrKey);
  }

  getDemoSessionUsername(): Promise<string | null> {
    return this.inner.getDemoSessionUsername();
  }
  setDemoSessionUsername(username: string | null): Promise<void> {
    return this.inner.setDemoSessionUsername(username);
  }
}

/** Sets an entry; a full map first forgets its oldest entry, whose value is returned. */
function remember<K, V>(map: Map<K, V>, limit: number, key: K, value: V): V | undefined {
  let evicted: V | undefined;
  if (!map.has(key) && map.size >= limit) {
    const oldest = map.entries().next().value;
    if (oldest) {
      map.delete(oldest[0]);
      evicted = oldest[1];
    }
  }
  map.set(key, value);
  return evicted;
}
