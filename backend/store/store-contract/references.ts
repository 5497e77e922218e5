/**
 * The store contract's references: what every adapter must answer, computed from the data set
 * (data-set.ts) with the contract's rules; and the records, tokens and rows the contract writes.
 */
import { expect } from 'vitest';
import type { AuditRecord } from '../../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../../contract/audit-query';
import { outcomeOf, type Outcome } from '../../../contract/histogram';
import type { LogEntriesQuery } from '../../../contract/logging';
import { tokenStatus } from '../../../contract/tokens';
import { fixtureNewAuditRecord } from '../../test/fixtures';
import type { AuditListQuery, NewAuditRecord, Store, StoredToken, TokenListFilter } from '../port';
import { data, DAY, HOUR, iso, NOW } from './data-set';

export const BASE_TOKEN_FILTER: TokenListFilter = {
  owner: [],
  status: [],
  neverUsed: false,
  sort: 'createdAt',
  order: 'desc',
  page: 1,
  pageSize: 200,
  now: NOW,
  expiryWarningDays: 14,
};

function inRange(value: string | null, from?: string, to?: string): boolean {
  if (from === undefined && to === undefined) return true;
  if (value === null) return false;
  const at = Date.parse(value);
  return (from === undefined || at >= Date.parse(from)) && (to === undefined || at <= Date.parse(to));
}

/** The ids of the matching tokens in the requested order (every page). */
export function expectedTokenIds(tokens: StoredToken[], f: TokenListFilter): string[] {
  const matching = tokens.filter(
    (t) =>
      (f.ownerKey === undefined || t.ownerKey === f.ownerKey) &&
      (f.owner.length === 0 || f.owner.includes(t.ownerUsername)) &&
      (!f.scope || t.scope === f.scope) &&
      (!f.neverUsed || t.lastUsedAt === null) &&
      (!f.q || t.description.toLowerCase().includes(f.q.toLowerCase())) &&
      inRange(t.createdAt, f.createdFrom, f.createdTo) &&
      inRange(t.lastUsedAt, f.lastUsedFrom, f.lastUsedTo) &&
      inRange(t.expiresAt, f.expiresFrom, f.expiresTo) &&
      (f.status.length === 0 ||
        f.status.includes(tokenStatus(t, f.now, f.expiryWarningDays).status) ||
        (f.status.includes('noExpiry') && t.expiresAt === null)),
  );
  const sign = f.order === 'asc' ? 1 : -1;
  // "Never" as the word means it: never expires is later than every date, never used earlier.
  const never = f.sort === 'expiresAt' ? Infinity : -Infinity;
  const key = (t: StoredToken) => (t[f.sort] === null ? never : Date.parse(t[f.sort]!));
  return matching
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.id < b.id ? -1 : 1) * sign;
    })
    .map((t) => t.id);
}

/** The ids of the matching records, newest first: the filter's one definition over the data. */
export function expectedAuditIds(records: readonly AuditRecord[], input: Partial<AuditFilter>): string[] {
  const matches = compileAuditFilter(AuditFilterSchema.parse(input));
  return records.filter(matches).map((r) => r.id);
}

/** Every page of a query; checks each cursor on the way. */
export async function allAuditPages(
  store: Store,
  query: Omit<AuditListQuery, 'limit'>,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.listAuditRecords({ ...query, cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((r) => r.id));
    if (page.nextCursor === null) return ids;
    expect(page.items).toHaveLength(limit);
    expect(page.nextCursor).toBe(page.items.at(-1)!.id);
    cursor = page.nextCursor;
  }
  throw new Error('Paging did not end');
}

export async function allLogPages(
  store: Store,
  query: Partial<LogEntriesQuery>,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.listLogEntries({ ...query, cursor, limit });
    ids.push(...page.items.map((e) => e.id));
    if (page.nextCursor === null) return ids;
    expect(page.items).toHaveLength(limit);
    expect(page.nextCursor).toBe(page.items.at(-1)!.id);
    cursor = page.nextCursor;
  }
  throw new Error('Paging did not end');
}

/** A token-created record a minute after NOW (the shared fixture, as the administrator's action). */
export function newRecord(fields: Partial<NewAuditRecord> = {}): NewAuditRecord {
  return fixtureNewAuditRecord(iso(NOW.getTime() + 60_000), {
    author: { username: 'admin', displayName: 'Alice Admin' },
    summary: 'API token created',
    affectedObjects: [{ type: 'token', id: 'tok-new', name: 'Brand new' }],
    source: { clientIp: '198.51.100.1', proxyIp: null, nodeId: 'node-1', method: 'POST' },
    details: { tokenId: 'tok-new', tokenDescription: 'Brand new', username: 'admin' },
    ...fields,
  });
}

export function newToken(fields: Partial<StoredToken> = {}): StoredToken {
  return {
    id: 'tok-new',
    ownerKey: 'U6',
    ownerUsername: 'nobody',
    description: 'Brand new',
    scope: 'READ_WRITE',
    createdAt: NOW.toISOString(),
    createdBy: 'admin',
    expiresAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    ipRestrictions: ['198.51.100.0/24'],
    secretHash: 'hash-new',
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    ...fields,
  };
}

/** A token's row in a database from before rotation (SQLite 2, PostgreSQL 3): no previous secret yet. */
export function tokenRowBeforeRotation(token: StoredToken): Record<string, unknown> {
  return {
    id: token.id,
    owner_key: token.ownerKey,
    owner_username: token.ownerUsername,
    description: token.description,
    scope: token.scope,
    created_at: token.createdAt,
    created_by: token.createdBy,
    ip_restrictions_json: JSON.stringify(token.ipRestrictions),
    secret_hash: token.secretHash,
    created_ms: Date.parse(token.createdAt),
  };
}

/** Daily buckets over the audit window (the first one after the oldest records). */
export const DAY_STARTS = Array.from({ length: 12 }, (_, i) => NOW.getTime() - (11 - i) * DAY - 7 * HOUR);

export function expectedHistogram(filter: AuditFilter, starts: readonly number[]): Record<Outcome, number>[] {
  const counts = starts.map(() => ({ success: 0, failed: 0, denied: 0, changes: 0 }));
  const matches = compileAuditFilter(filter);
  for (const record of data.auditRecords) {
    if (!matches(record)) continue;
    const ms = Date.parse(record.timestamp);
    const bucket = starts.findLastIndex((s) => s <= ms);
    if (bucket >= 0) counts[bucket]![outcomeOf(record.summary)]++;
  }
  return counts;
}

// The audit filters every adapter must answer as `matchesAuditFilter` does, odd cases included.
