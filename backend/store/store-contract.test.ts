// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  AUDIT_EVENTS,
  FAILURE_REASONS,
  LOGGING_CATEGORY,
  type AuditEvent,
  type AuditRecord,
  type FailureReason,
} from '../../contract/audit';
import {
  AuditFilterSchema,
  auditSearchTexts,
  compileAuditFilter,
  type AuditFilter,
} from '../../contract/audit-query';
import { outcomeOf, type Outcome } from '../../contract/histogram';
import {
  APP_LOGGERS,
  matchesLogEntry,
  ROOT_LOGGER,
  type LogEntriesQuery,
  type LogEntry,
  type LogLevel,
} from '../../contract/logging';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { SCOPE_LABELS, tokenStatus } from '../../contract/tokens';
import type { User } from '../../contract/users';
import { migrate, MIGRATIONS } from '../../server/store/migrations';
import { SqliteStore } from '../../server/store/sqlite-store';
import { migratePostgres, PG_MIGRATIONS } from '../../server/store/postgres/migrations';
import { positional, POSTGRES_DIALECT } from '../../server/store/postgres/postgres-dialect';
import { AUDIT_COLUMNS, auditRow } from '../../server/store/postgres/audit-writer';
import { insertRows } from '../../server/store/postgres/sql';
import { recordTexts } from '../../server/store/audit-texts';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { auditConditions } from '../../server/store/sql-dialect';
import { createTestSchema } from '../../server/test/postgres';
import { CachedStore } from './cached-store';
import { MemoryStore, noChanges } from './memory';
import { FIXTURE_USERS, fixtureNewAuditRecord } from '../test/fixtures';
import type {
  AuditListQuery,
  DataSet,
  NewAuditRecord,
  NewIssue,
  Store,
  StoredToken,
  TokenListFilter,
} from './port';

// ---------------------------------------------------------------------------------------------------
// One small data set, built to reach every branch: every token status (and its boundaries), scope,
// never-used tokens, equal dates (the id breaks the tie), every audit event, authors with non-ASCII
// names, IPv4 and IPv6 sources, proxies, equal timestamps, line breaks in texts, loggers that differ
// per node, log entries of every level.
// ---------------------------------------------------------------------------------------------------

const NOW = new Date('2026-11-25T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const NODES = ['node-1', 'node-2'];

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The shared fixture users, and three more for the filters' edge cases (unicode, no tokens).
const USERS: User[] = [
  ...FIXTURE_USERS,
  {
    key: 'U4',
    username: 'önder',
    displayName: 'ÖNDER ÇELIK',
    email: 'onder@example.com',
    groups: ['jira-software-users', 'développeurs'],
    role: 'user',
  },
  {
    key: 'U5',
    username: 'automation-user',
    displayName: 'Automation User',
    email: 'automation@example.com',
    groups: ['bots', 'jira-software-users'],
    role: 'user',
  },
  {
    key: 'U6',
    username: 'nobody',
    displayName: 'No Tokens',
    email: 'nobody@example.com',
    groups: [],
    role: 'user',
  },
];

const DESCRIPTIONS = ['CI pipeline', 'Backup Script', 'ÄPFEL sync', 'monitoring', 'Deploy bot'];
const IP_RESTRICTIONS = [[], ['10.0.0.0/8'], ['2001:db8::/32', '203.0.113.7'], [], ['192.0.2.0/24']];

function buildTokens(): StoredToken[] {
  const tokens: StoredToken[] = [];
  for (let i = 0; i < 40; i++) {
    const owner = USERS[i % 5]!;
    // Pairs share their creation instant; one is written without milliseconds.
    const createdMs = NOW.getTime() - (Math.floor(i / 2) + 1) * DAY;
    const expiresMs = [
      null,
      NOW.getTime() - 3 * DAY, // expired
      NOW.getTime() + 5 * DAY, // expiring soon
      NOW.getTime() + 60 * DAY, // active
      NOW.getTime(), // expired at this very instant
      NOW.getTime() + 14 * DAY, // the last instant of "expiring soon"
    ][i % 6]!;
    const lastUsedMs = i % 4 === 0 ? null : NOW.getTime() - (i % 9) * HOUR;
    tokens.push({
      // Ids in another order than creation, so that the tiebreak is visible.
      id: `tok-${String((i * 17) % 41).padStart(3, '0')}`,
      ownerKey: owner.key,
      ownerUsername: owner.username,
      description: `Token ${i} ${DESCRIPTIONS[i % 5]!}`,
      scope: i % 3 === 0 ? 'READ_ONLY' : 'READ_WRITE',
      createdAt: i === 7 ? iso(createdMs).replace('.000Z', 'Z') : iso(createdMs),
      createdBy: i % 2 === 0 ? owner.username : 'admin',
      expiresAt: expiresMs === null ? null : iso(expiresMs),
      lastUsedAt: lastUsedMs === null ? null : iso(lastUsedMs),
      lastUsedIp: lastUsedMs === null ? null : ['203.0.113.7', '10.1.2.3', '2001:db8::5'][i % 3]!,
      ipRestrictions: IP_RESTRICTIONS[i % 5]!,
      secretHash: `hash-${i}`,
      // Some were rotated with a grace period: their previous secret finds them too.
      previousSecretHash: i % 8 === 3 ? `previous-hash-${i}` : null,
      previousSecretExpiresAt: i % 8 === 3 ? iso(NOW.getTime() + HOUR) : null,
    });
  }
  return tokens;
}

const AUTH_EVENTS: AuditEvent[] = [
  'Successful authentication',
  'Failed API token basic authentication attempt',
  'Failed API token bearer authentication attempt',
  'Failed API token verification',
  'Permission denied',
];
// An IPv4-mapped IPv6 address too: the address filter reads it as its IPv4 address.
const CLIENT_IPS = [
  '203.0.113.7',
  '10.1.2.3',
  '10.200.0.9',
  '2001:db8::5',
  '192.0.2.44',
  null,
  '::ffff:10.9.8.7',
];
const ENDPOINTS = ['/rest/api/2/myself', '/rest/ssh/1.0/keys', '/rest/api/2/search?jql=Project%20%3D%20X'];
const REASONS: Record<string, FailureReason[]> = {
  'Failed API token basic authentication attempt': ['WRONG_TOKEN', 'NO_VALID_TOKEN'],
  'Failed API token bearer authentication attempt': ['WRONG_TOKEN', 'EXPIRED_TOKEN'],
  'Failed API token verification': ['IP_RESTRICTED', 'EXPIRED_TOKEN', 'NO_VALID_TOKEN'],
  'Permission denied': ['READ_ONLY_SCOPE'],
};

/** 500 records, oldest 'ar-000000001', two per hour (pairs share their timestamp); newest first. */
function buildAuditRecords(tokens: StoredToken[]): AuditRecord[] {
  const random = rng(42);
  const start = NOW.getTime() - 12 * DAY;
  const records: AuditRecord[] = [];
  for (let i = 1; i <= 500; i++) {
    // Every event at least once, authentication events far more often.
    const summary: AuditEvent =
      i <= AUDIT_EVENTS.length
        ? AUDIT_EVENTS[i - 1]!
        : random() < 0.8
          ? AUTH_EVENTS[Math.floor(random() * AUTH_EVENTS.length)]!
          : AUDIT_EVENTS[Math.floor(random() * AUDIT_EVENTS.length)]!;
    const token = tokens[Math.floor(random() * tokens.length)]!;
    const user = USERS.find((u) => u.key === token.ownerKey)!;
    const actor = random() < 0.7 ? USERS[0]! : USERS[3]!;
    const isAuth = AUTH_EVENTS.includes(summary);
    const reasons = REASONS[summary];
    const record: AuditRecord = {
      id: `ar-${String(i).padStart(9, '0')}`,
      timestamp: iso(start + Math.floor(i / 2) * 30 * 60_000),
      author: isAuth
        ? { username: null, displayName: ANONYMOUS_AUTHOR }
        : { username: actor.username, displayName: actor.displayName },
      category: summary === 'Log level changed' ? LOGGING_CATEGORY : AUDIT_CATEGORY,
      summary,
      affectedObjects: [],
      changedValues: [],
      source: {
        clientIp: CLIENT_IPS[i % CLIENT_IPS.length]!,
        proxyIp: i % 3 === 0 ? '100.100.0.6' : null,
        nodeId: NODES[i % 2]!,
        method: isAuth ? 'GET' : 'POST',
      },
      details: {},
    };
    if (isAuth || summary === 'API token created' || summary === 'API token deleted') {
      record.affectedObjects = [
        { type: 'user', id: user.key, name: user.username },
        { type: 'token', id: token.id, name: token.description },
      ];
      record.details = {
        tokenId: token.id,
        tokenDescription: token.description,
        scope: token.scope,
        endpoint: isAuth ? ENDPOINTS[i % ENDPOINTS.length] : undefined,
        // A failed bearer attempt has no username.
        username: summary === 'Failed API token bearer authentication attempt' ? undefined : user.username,
        reason: reasons ? reasons[i % reasons.length] : undefined,
      };
      for (const key of Object.keys(record.details) as (keyof AuditRecord['details'])[]) {
        if (record.details[key] === undefined) delete record.details[key];
      }
    } else if (summary === 'All API tokens of a user deleted') {
      record.affectedObjects = [{ type: 'user', id: user.key, name: user.username }];
      record.details = { username: user.username };
    } else if (summary === 'Settings changed') {
      record.affectedObjects = [
        { type: 'settings', id: 'api-token-authentication', name: 'API Token Authentication settings' },
      ];
      record.changedValues = [
        { field: 'Rate limiting', from: 'On', to: 'Off' },
        { field: 'Global IP restrictions', from: null, to: i % 2 === 0 ? '10.0.0.0/8\n192.0.2.0/24' : '' },
      ];
    } else {
      record.affectedObjects = [
        { type: 'logger', id: APP_LOGGERS.rateLimiter, name: APP_LOGGERS.rateLimiter },
      ];
      record.changedValues = [{ field: `Level (${NODES[i % 2]!})`, from: 'INFO', to: 'DEBUG' }];
    }
    records.push(record);
  }
  // Names with a line break and a backslash: an object filter must match whole ids and names only.
  records[10]!.affectedObjects.push({ type: 'logger', id: 'multi\nline', name: 'back\\slash' });
  // Quotes, SQL wildcards and case in an object: matched as they are.
  records[12]!.affectedObjects.push({ type: 'token', id: 'tok-%_"x"', name: 'Ünïcode "Name"' });
  // The edges of ranges, IPv6 written in full and upper case, an IPv4-mapped IPv6 address (the IPv4
  // address for the filter), a zone.
  const sources: [number, string | null, string | null][] = [
    [20, '10.255.255.255', null],
    [21, '11.0.0.0', null],
    [22, '9.255.255.255', '10.0.0.0'],
    [23, '::ffff:10.0.0.1', null],
    [24, '2001:DB8:0:0:0:0:0:7', null],
    [25, '2001:db9::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    [26, 'fe80::1%eth0', null],
    [27, '0.0.0.0', '::'],
  ];
  for (const [i, clientIp, proxyIp] of sources)
    records[i]!.source = { ...records[i]!.source, clientIp, proxyIp };
  // Texts with quotes, SQL wildcards, and letters that other case foldings than JavaScript's fold
  // further ('ſ' is 's' to SQLite's trigrams; 'İ' is 'i̇' to JavaScript).
  const texts = ['Say "hello" to 50% of_users', "it's O'Brien's", 'Meſſage İstanbul', 'a_b%c'];
  texts.forEach((to, i) => {
    records[130 + i]!.changedValues = [{ field: 'Description', from: null, to }];
  });
  return records.reverse();
}

const LOG_LEVELS_USED: Exclude<LogLevel, 'OFF'>[] = ['INFO', 'WARN', 'ERROR', 'DEBUG', 'TRACE', 'FATAL'];
const LOGGER_NAMES = [
  APP_LOGGERS.app,
  APP_LOGGERS.authService,
  APP_LOGGERS.rateLimiter,
  'de.resolution.apitokenauthX.Other',
  'com.example.Foo',
];

/** 100 entries, oldest 'le-000000001'; newest first. */
function buildLogEntries(): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let i = 1; i <= 100; i++) {
    entries.push({
      id: `le-${String(i).padStart(9, '0')}`,
      timestamp: iso(NOW.getTime() - (100 - i) * 60_000),
      level: LOG_LEVELS_USED[i % LOG_LEVELS_USED.length]!,
      logger: LOGGER_NAMES[i % LOGGER_NAMES.length]!,
      node: NODES[i % 2]!,
      thread: `http-nio-8080-exec-${i % 7}`,
      username: i % 3 === 0 ? 'anonymous' : 'jdoe',
      clientIp: '203.0.113.7',
      url: '/rest/api/2/myself',
      message:
        i % 10 === 0
          ? `Token "Backup" with \\ backslash, entry ${i}`
          : `Found a matching TOKEN for authenticating user jdoe, entry ${i}. REST endpoint: /rest/api/2/myself`,
    });
  }
  return entries.reverse();
}

function buildData(): DataSet {
  const tokens = buildTokens();
  return {
    users: USERS,
    groups: [...new Set(USERS.flatMap((u) => u.groups))].sort(),
    tokens,
    auditRecords: buildAuditRecords(tokens),
    nodes: NODES,
    loggers: [
      { name: ROOT_LOGGER, configuredLevel: 'WARN' },
      { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
      { name: APP_LOGGERS.authService, configuredLevel: null },
      { name: APP_LOGGERS.rateLimiter, configuredLevel: null },
    ],
    nodeLoggers: {
      'node-2': [
        { name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' },
        { name: 'com.example.extra', configuredLevel: 'TRACE' },
      ],
    },
    logEntries: buildLogEntries(),
  };
}

const data = buildData();

// ---------------------------------------------------------------------------------------------------
// References: what every adapter must answer, computed from the data set with the contract's rules.
// ---------------------------------------------------------------------------------------------------

const BASE_TOKEN_FILTER: TokenListFilter = {
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
function expectedTokenIds(tokens: StoredToken[], f: TokenListFilter): string[] {
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
function expectedAuditIds(records: readonly AuditRecord[], input: Partial<AuditFilter>): string[] {
  const matches = compileAuditFilter(AuditFilterSchema.parse(input));
  return records.filter(matches).map((r) => r.id);
}

/** Every page of a query; checks each cursor on the way. */
async function allAuditPages(
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

async function allLogPages(store: Store, query: Partial<LogEntriesQuery>, limit: number): Promise<string[]> {
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
function newRecord(fields: Partial<NewAuditRecord> = {}): NewAuditRecord {
  return fixtureNewAuditRecord(iso(NOW.getTime() + 60_000), {
    author: { username: 'admin', displayName: 'Alice Admin' },
    summary: 'API token created',
    affectedObjects: [{ type: 'token', id: 'tok-new', name: 'Brand new' }],
    source: { clientIp: '198.51.100.1', proxyIp: null, nodeId: 'node-1', method: 'POST' },
    details: { tokenId: 'tok-new', tokenDescription: 'Brand new', username: 'admin' },
    ...fields,
  });
}

function newToken(fields: Partial<StoredToken> = {}): StoredToken {
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
function tokenRowBeforeRotation(token: StoredToken): Record<string, unknown> {
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
const DAY_STARTS = Array.from({ length: 12 }, (_, i) => NOW.getTime() - (11 - i) * DAY - 7 * HOUR);

function expectedHistogram(filter: AuditFilter, starts: readonly number[]): Record<Outcome, number>[] {
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
const records = data.auditRecords;
const oldest = records.at(-1)!;
const newest = records[0]!;
// Pairs of records share their timestamp: the range ends fall on such a pair.
const tieFrom = records[301]!.timestamp;
const tieTo = records[100]!.timestamp;
const AUDIT_FILTERS: [string, Partial<AuditFilter>][] = [
  ['nothing', {}],
  ...AUDIT_EVENTS.map((e): [string, Partial<AuditFilter>] => [`event ${e}`, { summary: [e] }]),
  ['two frequent events', { summary: ['Successful authentication', 'Failed API token verification'] }],
  ['a frequent and a rare event', { summary: ['Permission denied', 'Settings changed'] }],
  ['every event', { summary: [...AUDIT_EVENTS] }],
  ['category', { category: AUDIT_CATEGORY }],
  ['category Logging', { category: LOGGING_CATEGORY }],
  ['author Anonymous', { author: ANONYMOUS_AUTHOR }],
  ['author anonymous, lower case', { author: 'anonymous' }],
  ['author by username', { author: 'admin' }],
  ['author by display name, other case', { author: 'ALICE admin' }],
  ['author, non-ASCII', { author: 'önder çelik' }],
  ['author, non-ASCII username in upper case', { author: 'ÖNDER' }],
  ['author without records', { author: 'nobody' }],
  ['username named by the event', { username: 'jdoe' }],
  ['username: case matters', { username: 'JDOE' }],
  ['username with events', { username: 'jdoe', summary: ['Successful authentication'] }],
  ['object: user key', { object: 'U3' }],
  ['object: username', { object: 'jdoe' }],
  ['object: token id', { object: data.tokens[4]!.id }],
  ['object: token name', { object: data.tokens[4]!.description }],
  ['object: part of a name is not a match', { object: 'Token' }],
  ['object with a line break', { object: 'multi\nline' }],
  ['object: part of a line-broken id', { object: 'multi' }],
  ['object with a backslash', { object: 'back\\slash' }],
  ['ip: client address', { ip: '10.1.2.3' }],
  ['ip: range', { ip: '10.0.0.0/8' }],
  ['ip: IPv6 range', { ip: '2001:db8::/32' }],
  ['ip: the proxy', { ip: '100.100.0.6' }],
  ['ip: no match', { ip: '198.51.100.0/24' }],
  ['ip: an IPv4-mapped address is its IPv4 address', { ip: '::ffff:10.1.2.3' }],
  ['ip: an IPv4-mapped range holds IPv4 addresses', { ip: '::ffff:10.0.0.0/104' }],
  ['ip: every IPv6 address holds every IPv4 one', { ip: '::/0' }],
  ['ip: the edge of a range', { ip: '10.1.2.3/32' }],
  ['ip: just outside a range', { ip: '10.1.2.4/30' }],
  ['q: event text', { q: 'PERMISSION' }],
  ['q: token description', { q: 'äpfel' }],
  ['q: endpoint', { q: '/rest/ssh' }],
  ['q: username', { q: 'automation' }],
  ['q: failure reason (its label)', { q: 'ip restriction' }],
  ['q: failure reason key is not searched', { q: 'IP_RESTRICTED' }],
  ['q: changed value', { q: 'rate limiting' }],
  ['q: changed value with a line break', { q: '/8\n192' }],
  ['q: across two texts is not a match', { q: 'off\nglobal' }],
  ['q: percent sign', { q: '%20' }],
  ['q: a percent sign is no wildcard', { q: 'api%token' }],
  ['q: an underscore is no wildcard', { q: 'api_token' }],
  ['q: a backslash', { q: 'a\\b' }],
  ['q: quotes', { q: `'"` }],
  ['q: no match', { q: 'zzz-nothing' }],
  ['object with quotes and wildcards', { object: 'tok-%_"x"' }],
  ['object: a wildcard is a character', { object: 'tok-%' }],
  ['object: another case is not a match', { object: 'ünïcode "name"' }],
  ['object: exactly as written', { object: 'Ünïcode "Name"' }],
  ['ip: the last address of a range', { ip: '10.255.255.255' }],
  ['ip: the range after it', { ip: '11.0.0.0/8' }],
  ['ip: the range before it (and a proxy at the start of the next)', { ip: '9.0.0.0/8' }],
  ['ip: a /32', { ip: '10.0.0.0/32' }],
  ['ip: every IPv4 address', { ip: '0.0.0.0/0' }],
  ['ip: every address', { ip: '::/0' }],
  ['ip: an IPv4-mapped IPv6 range', { ip: '::ffff:10.0.0.0/104' }],
  ['ip: an IPv4-mapped IPv6 address', { ip: '::ffff:10.0.0.1' }],
  ['ip: IPv6 written short, stored in full', { ip: '2001:db8::7' }],
  ['ip: the last address of an IPv6 range', { ip: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' }],
  ['ip: a link-local range (an address with a zone)', { ip: 'fe80::/10' }],
  ['ip: the unspecified address', { ip: '::' }],
  ['q: a word that is not there', { q: 'no-such-text' }],
  ['q: one character', { q: 'Z' }],
  ['q: one character that is not there', { q: '~' }],
  ['q: two characters', { q: 'ci' }],
  ['q: two characters that are not there', { q: 'qj' }],
  ['q: three characters', { q: 'SSH' }],
  ['q: double quotes', { q: '"hello"' }],
  ['q: a lone double quote', { q: '"' }],
  ['q: single quotes', { q: "o'brien's" }],
  ['q: percent sign and text', { q: '50%' }],
  ['q: underscore', { q: 'of_users' }],
  ['q: wildcards are characters', { q: 'a_b%' }],
  ['q: underscore is not any character', { q: 'a%b' }],
  ['q: non-ASCII, upper case', { q: 'ÖNDER' }],
  ['q: a letter SQLite folds further', { q: 'message' }],
  ['q: a letter JavaScript folds into two', { q: 'istanbul' }],
  ['q: the same, as JavaScript folds it', { q: 'İSTANBUL' }],
  ['from (inclusive, on a tie)', { from: tieFrom }],
  ['to (inclusive, on a tie)', { to: tieTo }],
  ['from and to', { from: tieFrom, to: tieTo }],
  ['from = to', { from: tieTo, to: tieTo }],
  ['to without milliseconds', { to: tieTo.replace('.000Z', 'Z') }],
  ['from the oldest', { from: oldest.timestamp }],
  ['to the newest', { to: newest.timestamp }],
  ['from after the newest', { from: iso(Date.parse(newest.timestamp) + 1) }],
  ['to before the oldest', { to: iso(Date.parse(oldest.timestamp) - 1) }],
  ['between two records', { from: iso(Date.parse(tieTo) + 1), to: iso(Date.parse(tieTo) + 60_000) }],
  ['rare event of a frequent author', { summary: ['Settings changed'], author: 'anonymous' }],
  ['event and author that never meet', { summary: ['Successful authentication'], author: 'admin' }],
  ['events, author and range', { summary: [...AUDIT_EVENTS.slice(5)], author: 'Alice Admin', from: tieFrom }],
  ['category and text', { category: LOGGING_CATEGORY, q: 'node-2' }],
  [
    'events and address',
    { summary: ['Permission denied', 'Failed API token verification'], ip: '10.0.0.0/8' },
  ],
  ['author and object', { author: 'anonymous', object: 'U5' }],
  [
    'everything at once',
    {
      summary: [...AUTH_EVENTS],
      category: AUDIT_CATEGORY,
      author: 'anonymous',
      ip: '10.0.0.0/8',
      q: 'rest',
      from: tieFrom,
      to: tieTo,
      object: 'jdoe',
    },
  ],
];

// ---------------------------------------------------------------------------------------------------
// The contract.
// ---------------------------------------------------------------------------------------------------

const opened: (SqliteStore | PostgresStore)[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function sqlite(options: { probeCap?: number } = {}): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:', { nodes: data.nodes, ...options });
  await store.seed(data);
  opened.push(store);
  return store;
}

/** A PostgreSQL store in a schema of its own, seeded. */
async function postgres(): Promise<PostgresStore> {
  const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes });
  opened.push(store);
  await store.seed(data);
  return store;
}

/**
 * The data set in a database written before migration 4 (its audit rows as schema version 3 had
 * them), opened by today's store: the migration builds the search indexes from those rows.
 */
async function sqliteWrittenAtVersion3(): Promise<SqliteStore> {
  const db = new Database(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  const insert = db.prepare(
    `INSERT INTO audit_records (id, timestamp, category, summary, author_username_lc,
       author_display_name_lc, client_ip, proxy_ip, details_username, objects, search_text, record_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  for (const r of data.auditRecords) {
    insert.run(
      r.id,
      r.timestamp,
      r.category,
      r.summary,
      r.author.username?.toLowerCase() ?? null,
      r.author.displayName.toLowerCase(),
      r.source.clientIp,
      r.source.proxyIp,
      r.details.username ?? null,
      `\n${r.affectedObjects.map((o) => `${escape(o.id)}\n${escape(o.name)}\n`).join('')}`,
      auditSearchTexts(r)
        .map((text) => (text ?? '').toLowerCase())
        .join('\n'),
      JSON.stringify(r),
    );
  }
  const store = new SqliteStore(db);
  await store.seed({ ...data, auditRecords: [] });
  opened.push(store);
  return store;
}

// SQLite and PostgreSQL as the server reads them: through the cache, whose stale copies the checks
// below would catch.
const ADAPTERS: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore(data, noChanges())],
  ['sqlite (cached)', async () => new CachedStore(await sqlite())],
  [
    'sqlite (cached, written at schema version 3)',
    async () => new CachedStore(await sqliteWrittenAtVersion3()),
  ],
  // A tiny probe cap: the audit scans that only a large data set would otherwise take.
  ['sqlite (cached, probe cap 8)', async () => new CachedStore(await sqlite({ probeCap: 8 }))],
  ['postgres (cached)', async () => new CachedStore(await postgres())],
];

describe.each(ADAPTERS)('Store contract: %s', (_name, create) => {
  describe('users', () => {
    it('lists, finds and groups the users', async () => {
      const store = await create();
      expect(await store.listUsers()).toEqual(USERS);
      expect(await store.findUserByKey('U4')).toEqual(USERS[3]);
      expect(await store.findUserByUsername('önder')).toEqual(USERS[3]);
      expect(await store.findUserByUsername('ÖNDER')).toBeUndefined();
      expect(await store.findUserByKey('nope')).toBeUndefined();
      expect(await store.findUserByUsername('nope')).toBeUndefined();
      expect(await store.listGroups()).toEqual([
        'auditors',
        'bots',
        'développeurs',
        'jira-administrators',
        'jira-software-users',
      ]);
    });
  });

  describe('issues', () => {
    const issue = (fields: Partial<NewIssue> = {}): NewIssue => ({
      projectKey: 'DEMO',
      issueTypeId: '10001',
      summary: 'Nightly build failed',
      description: null,
      reporterKey: 'U1',
      reporterUsername: 'admin',
      createdAt: NOW.toISOString(),
      ...fields,
    });

    it('assigns ids from 10000 and keys numbered per project', async () => {
      const store = await create();
      const first = await store.createIssue(issue({ description: 'Ünïcode — "quotes" and\nlines' }));
      expect(first).toEqual({
        ...issue({ description: 'Ünïcode — "quotes" and\nlines' }),
        id: '10000',
        key: 'DEMO-1',
      });
      expect((await store.createIssue(issue())).key).toBe('DEMO-2');
      expect(await store.createIssue(issue({ projectKey: 'OPS' }))).toMatchObject({
        id: '10002',
        key: 'OPS-1',
      });
      expect(await store.createIssue(issue())).toMatchObject({ id: '10003', key: 'DEMO-3' });
    });

    it('finds an issue by its id or its key, and nothing else', async () => {
      const store = await create();
      const created = await store.createIssue(issue());
      expect(await store.findIssue('10000')).toEqual(created);
      expect(await store.findIssue('DEMO-1')).toEqual(created);
      for (const other of ['DEMO-2', 'demo-1', '010000', '1e4', '10000.0', ' 10000', '', 'DEMO']) {
        expect(await store.findIssue(other)).toBeUndefined();
      }
    });
  });

  describe('settings', () => {
    it('starts with the defaults, version 1', async () => {
      expect(await (await create()).getSettings()).toEqual({
        ...DEFAULT_SETTINGS,
        version: 1,
        updatedAt: null,
        updatedBy: null,
      });
    });

    it('saves with compare-and-set: a stale version is refused', async () => {
      const store = await create();
      const input: SettingsInput = {
        ...DEFAULT_SETTINGS,
        auditLogging: { ...DEFAULT_SETTINGS.auditLogging, successfulAuthentication: true, retentionDays: 30 },
      };
      const at = new Date('2026-11-25T13:00:00.000Z');
      // Read first: a store that caches them must not answer from a stale copy.
      expect((await store.getSettings()).version).toBe(1);
      const saved = await store.saveSettings(input, 1, 'admin', at);
      expect(saved).toEqual({ ...input, version: 2, updatedAt: at.toISOString(), updatedBy: 'admin' });
      expect(await store.getSettings()).toEqual(saved);
      expect(await store.saveSettings(DEFAULT_SETTINGS, 1, 'auditor', at)).toBeNull();
      expect(await store.getSettings()).toEqual(saved);
      const again = await store.saveSettings(
        DEFAULT_SETTINGS,
        2,
        'jdoe',
        new Date('2026-11-25T14:00:00.000Z'),
      );
      expect(again).toMatchObject({ version: 3, updatedBy: 'jdoe', updatedAt: '2026-11-25T14:00:00.000Z' });
      expect(await store.getSettings()).toEqual(again);
      expect(await store.saveSettings(input, 4, 'admin', at)).toBeNull();
    });
  });

  describe('tokens', () => {
    it('finds a token by id and by secret hash', async () => {
      const store = await create();
      const token = data.tokens[5]!;
      expect(await store.getToken(token.id)).toEqual(token);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.getToken('nope')).toBeUndefined();
      expect(await store.findTokenByHash('nope')).toBeUndefined();
    });

    it('inserts a token, and refuses an existing id', async () => {
      const store = await create();
      const token = newToken();
      await store.insertToken(token);
      expect(await store.getToken('tok-new')).toEqual(token);
      expect(await store.findTokenByHash('hash-new')).toEqual(token);
      expect(await store.listTokens({ ...BASE_TOKEN_FILTER, ownerKey: 'U6' })).toEqual({
        items: [token],
        total: 1,
      });
      await expect(store.insertToken(newToken({ secretHash: 'other' }))).rejects.toThrow(/exists/);
    });

    it('records a use', async () => {
      const store = await create();
      const token = data.tokens[0]!;
      expect(token.lastUsedAt).toBeNull();
      // Found first: a store that caches what it found must not answer from a stale copy.
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      await store.recordTokenUse(token.id, '2026-11-25T12:30:00.000Z', '198.51.100.9');
      const used = { ...token, lastUsedAt: '2026-11-25T12:30:00.000Z', lastUsedIp: '198.51.100.9' };
      expect(await store.getToken(token.id)).toEqual(used);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(used);
      const filter = { ...BASE_TOKEN_FILTER, neverUsed: true };
      expect((await store.listTokens(filter)).items.map((t) => t.id)).not.toContain(token.id);
      await store.recordTokenUse('nope', '2026-11-25T12:30:00.000Z', '198.51.100.9');
      expect(await store.getToken('nope')).toBeUndefined();
    });

    it('updates a token: only the fields given, and lists it by its new values', async () => {
      const store = await create();
      const token = data.tokens[3]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.updateToken(token.id, { description: 'Renamed' })).toEqual({
        ...token,
        description: 'Renamed',
      });
      const changes = { expiresAt: null, ipRestrictions: ['192.0.2.0/24', '2001:db8::1'] };
      const updated = { ...token, description: 'Renamed', ...changes };
      expect(await store.updateToken(token.id, changes)).toEqual(updated);
      expect(await store.getToken(token.id)).toEqual(updated);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(updated);
      // The new expiry is what the filters and the sort see.
      const noExpiry = (await store.listTokens({ ...BASE_TOKEN_FILTER, status: ['noExpiry'] })).items;
      expect(noExpiry.map((t) => t.id)).toContain(token.id);
      const soonest = { ...BASE_TOKEN_FILTER, sort: 'expiresAt' as const, order: 'asc' as const };
      await store.updateToken(token.id, { expiresAt: iso(NOW.getTime() - 100 * DAY) });
      expect((await store.listTokens(soonest)).items[0]?.id).toBe(token.id);
      expect(await store.updateToken('nope', { description: 'x' })).toBeUndefined();
    });

    it('rotates a secret: the new one finds the token, the previous one only with a grace period', async () => {
      const store = await create();
      const token = data.tokens[2]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      const until = iso(NOW.getTime() + DAY);
      const graced = {
        ...token,
        secretHash: 'rotated-1',
        previousSecretHash: token.secretHash,
        previousSecretExpiresAt: until,
      };
      expect(await store.rotateTokenSecret(token.id, 'rotated-1', until)).toEqual(graced);
      expect(await store.getToken(token.id)).toEqual(graced);
      expect(await store.findTokenByHash('rotated-1')).toEqual(graced);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(graced);

      // Again, at once: the secret of the first rotation stops, and so does the one before it.
      const atOnce = {
        ...token,
        secretHash: 'rotated-2',
        previousSecretHash: null,
        previousSecretExpiresAt: null,
      };
      expect(await store.rotateTokenSecret(token.id, 'rotated-2', null)).toEqual(atOnce);
      expect(await store.findTokenByHash('rotated-2')).toEqual(atOnce);
      expect(await store.findTokenByHash('rotated-1')).toBeUndefined();
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.rotateTokenSecret('nope', 'rotated-3', null)).toBeUndefined();
      expect(await store.findTokenByHash('rotated-3')).toBeUndefined();
    });

    it('finds a token rotated before by its previous secret, until it is rotated or deleted', async () => {
      const store = await create();
      const token = data.tokens.find((t) => t.previousSecretHash !== null)!;
      expect(await store.findTokenByHash(token.previousSecretHash!)).toEqual(token);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      // A third rotation with a grace period keeps only the secret just replaced.
      const until = iso(NOW.getTime() + 2 * DAY);
      await store.rotateTokenSecret(token.id, 'rotated', until);
      expect(await store.findTokenByHash(token.previousSecretHash!)).toBeUndefined();
      expect((await store.findTokenByHash(token.secretHash))?.previousSecretExpiresAt).toBe(until);
      await store.deleteToken(token.id);
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.findTokenByHash('rotated')).toBeUndefined();
    });

    it('deletes a token: its secret no longer finds it', async () => {
      const store = await create();
      const token = data.tokens[8]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.deleteToken(token.id)).toEqual(token);
      expect(await store.getToken(token.id)).toBeUndefined();
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.deleteToken(token.id)).toBeUndefined();
      expect((await store.listTokens(BASE_TOKEN_FILTER)).total).toBe(data.tokens.length - 1);
    });

    it('deletes every token of a user', async () => {
      const store = await create();
      await store.insertToken(newToken({ ownerKey: 'U3', ownerUsername: 'jdoe' }));
      const expected = [...data.tokens.filter((t) => t.ownerKey === 'U3'), await store.getToken('tok-new')];
      for (const token of expected) expect(await store.findTokenByHash(token!.secretHash)).toEqual(token);
      const deleted = await store.deleteTokensOfUser('U3');
      expect(deleted).toEqual(expected);
      for (const token of deleted) expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.listTokens({ ...BASE_TOKEN_FILTER, ownerKey: 'U3' })).toEqual({
        items: [],
        total: 0,
      });
      expect(await store.deleteTokensOfUser('U3')).toEqual([]);
      expect((await store.listTokens(BASE_TOKEN_FILTER)).total).toBe(data.tokens.length + 1 - deleted.length);
    });

    const day = (offset: number) => iso(NOW.getTime() + offset * DAY);
    const FILTERS: [string, Partial<TokenListFilter>][] = [
      ['nothing', {}],
      ['own tokens', { ownerKey: 'U3' }],
      ['owners', { owner: ['jdoe', 'önder'] }],
      ['an owner without tokens', { owner: ['nobody'] }],
      ['scope', { scope: 'READ_ONLY' }],
      ['scope (read & write)', { scope: 'READ_WRITE' }],
      ['status active', { status: ['active'] }],
      ['status expiring', { status: ['expiring'] }],
      ['status expired', { status: ['expired'] }],
      ['status expiring or expired', { status: ['expiring', 'expired'] }],
      ['every status', { status: ['active', 'expiring', 'expired'] }],
      ['no expiry', { status: ['noExpiry'] }],
      ['no expiry or expired', { status: ['noExpiry', 'expired'] }],
      ['no expiry or active (no expiry is active too)', { status: ['noExpiry', 'active'] }],
      ['a shorter warning window', { status: ['expiring'], expiryWarningDays: 7 }],
      ['text, any case', { q: 'äpfel' }],
      ['text, upper case', { q: 'BACKUP' }],
      ['text inside', { q: 'n 1' }],
      ['text matching nothing', { q: 'zzz' }],
      ['empty text', { q: '' }],
      ['never used', { neverUsed: true }],
      ['created from', { createdFrom: day(-5) }],
      ['created up to', { createdTo: day(-10) }],
      ['created between (inclusive)', { createdFrom: day(-12), createdTo: day(-4) }],
      [
        'created, without milliseconds',
        { createdFrom: '2026-11-21T12:00:00Z', createdTo: '2026-11-21T12:00:00Z' },
      ],
      ['last used from', { lastUsedFrom: iso(NOW.getTime() - 4 * HOUR) }],
      ['last used up to', { lastUsedTo: iso(NOW.getTime() - 4 * HOUR) }],
      ['expires from', { expiresFrom: NOW.toISOString() }],
      ['expires up to', { expiresTo: day(14) }],
      ['expires between', { expiresFrom: day(-3), expiresTo: day(5) }],
      [
        'everything at once',
        {
          owner: ['admin', 'jdoe', 'önder', 'automation-user'],
          scope: 'READ_WRITE',
          status: ['active', 'expiring'],
          q: 'token',
          createdFrom: day(-30),
          lastUsedFrom: day(-1),
        },
      ],
    ];

    it.each(FILTERS)('lists with a filter: %s', async (_, fields) => {
      const store = await create();
      const filter = { ...BASE_TOKEN_FILTER, ...fields };
      const expected = expectedTokenIds(data.tokens, filter);
      const { items, total } = await store.listTokens(filter);
      expect(items.map((t) => t.id)).toEqual(expected);
      expect(total).toBe(expected.length);
    });

    it('has tokens of every status, never used and with equal dates (the data set is what the filters need)', () => {
      const ids = (fields: Partial<TokenListFilter>) =>
        expectedTokenIds(data.tokens, { ...BASE_TOKEN_FILTER, ...fields });
      expect(ids({ status: ['active'] }).length).toBeGreaterThan(5);
      expect(ids({ status: ['expiring'] }).length).toBeGreaterThan(5);
      expect(ids({ status: ['expired'] }).length).toBeGreaterThan(5);
      expect(ids({ neverUsed: true })).toHaveLength(10);
      expect(ids({ q: 'äpfel' })).toHaveLength(8);
      expect(new Set(data.tokens.map((t) => t.createdAt)).size).toBeLessThan(data.tokens.length);
    });

    describe.each(['createdAt', 'expiresAt', 'lastUsedAt'] as const)('sorted by %s', (sort) => {
      it.each(['asc', 'desc'] as const)('%s: "Never" where the word puts it, pages of 7', async (order) => {
        const store = await create();
        const filter = { ...BASE_TOKEN_FILTER, sort, order };
        const expected = expectedTokenIds(data.tokens, filter);
        const nulls = data.tokens.filter((t) => t[sort] === null).length;
        // Never expires: after every date (first when descending); never used: before every date.
        const neverFirst = (sort === 'expiresAt') === (order === 'desc');
        const never = neverFirst ? expected.slice(0, nulls) : expected.slice(expected.length - nulls);
        for (const id of never) expect((await store.getToken(id))![sort]).toBeNull();
        const paged: string[] = [];
        for (let page = 1; page <= Math.ceil(expected.length / 7) + 1; page++) {
          const result = await store.listTokens({ ...filter, page, pageSize: 7 });
          expect(result.total).toBe(expected.length);
          paged.push(...result.items.map((t) => t.id));
        }
        expect(paged).toEqual(expected);
      });
    });
  });

  describe('audit records', () => {
    it('lists every record newest first, each once, page by page', async () => {
      const store = await create();
      const all = data.auditRecords.map((r) => r.id);
      expect(await allAuditPages(store, {}, 7)).toEqual(all);
      expect((await allAuditPages(store, {}, 1)).slice(0, 20)).toEqual(all.slice(0, 20));
      const page = await store.listAuditRecords({ limit: 1000 });
      expect(page).toEqual({ items: data.auditRecords, nextCursor: null });
      expect((await store.listAuditRecords({ limit: 500 })).nextCursor).toBeNull();
      expect((await store.listAuditRecords({ limit: 499 })).nextCursor).toBe(all[498]);
    });

    it.each(AUDIT_FILTERS)('filters: %s', async (_, filter) => {
      const store = await create();
      const expected = expectedAuditIds(records, filter);
      expect(await store.listAuditRecords({ ...filter, limit: 1000 })).toEqual({
        items: expected.map((id) => records.find((r) => r.id === id)),
        nextCursor: null,
      });
      expect(await allAuditPages(store, filter, 7)).toEqual(expected);
      expect(await allAuditPages(store, filter, 50)).toEqual(expected);
    });

    it('covers the filters with the data set: most match some records, none matches all', () => {
      const sizes = AUDIT_FILTERS.map(([, filter]) => expectedAuditIds(records, filter).length);
      expect(sizes.filter((n) => n > 0 && n < records.length).length).toBeGreaterThan(
        AUDIT_FILTERS.length * 0.7,
      );
    });

    it('finds every text the free-text filter searches, and nothing else', async () => {
      // Every string of every record (and the labels of the failure reasons and scopes), whole and in
      // part, in another case: an adapter that searches other texts, or fewer, differs somewhere.
      const texts = new Set<string>([...Object.values(FAILURE_REASONS), ...Object.values(SCOPE_LABELS)]);
      const collect = (value: unknown) => {
        if (typeof value === 'string') texts.add(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      records.forEach(collect);
      const probes = new Set<string>();
      for (const text of texts) {
        const trimmed = text.trim();
        if (trimmed === '') continue;
        probes.add(trimmed.toUpperCase());
        if (trimmed.length > 4) probes.add(trimmed.slice(1, -1).trim() || trimmed);
      }
      const store = await create();
      for (const q of probes) {
        const expected = expectedAuditIds(records, { q });
        const actual = (await store.listAuditRecords({ q, limit: 1000 })).items.map((r) => r.id);
        expect(actual, `q=${JSON.stringify(q)}`).toEqual(expected);
      }
      expect(probes.size).toBeGreaterThan(100);
    });

    it('finds records by every affected object, by id and by name', async () => {
      const store = await create();
      const objects = new Set(records.flatMap((r) => r.affectedObjects.flatMap((o) => [o.id, o.name])));
      for (const object of objects) {
        if (object.trim() !== object || object === '') continue;
        const expected = expectedAuditIds(records, { object });
        expect(expected.length).toBeGreaterThan(0);
        expect(
          (await store.listAuditRecords({ object, limit: 1000 })).items.map((r) => r.id),
          object,
        ).toEqual(expected);
      }
    });

    it('keeps only newer records with `after`, with filters and cursors', async () => {
      const store = await create();
      const after = records[49]!.id;
      expect(await allAuditPages(store, { after }, 7)).toEqual(records.slice(0, 49).map((r) => r.id));
      const filter = { summary: ['Successful authentication' as const] };
      expect(await allAuditPages(store, { ...filter, after }, 3)).toEqual(
        expectedAuditIds(records.slice(0, 49), filter),
      );
      expect(await store.listAuditRecords({ after: newest.id, limit: 10 })).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('gets one record', async () => {
      const store = await create();
      expect(await store.getAuditRecord(records[123]!.id)).toEqual(records[123]);
      expect(await store.getAuditRecord('ar-999999999')).toBeUndefined();
      expect(await store.getAuditRecord('nope')).toBeUndefined();
    });

    it('appends records: ids continue from the last one, newest first', async () => {
      const store = await create();
      const appended = await store.appendAuditRecords([
        newRecord(),
        newRecord({ summary: 'API token deleted' }),
      ]);
      expect(appended.map((r) => r.id)).toEqual(['ar-000000501', 'ar-000000502']);
      expect(appended[1]).toEqual({ id: 'ar-000000502', ...newRecord({ summary: 'API token deleted' }) });
      const more = await store.appendAuditRecords([newRecord()]);
      expect(more[0]!.id).toBe('ar-000000503');
      expect(await store.appendAuditRecords([])).toEqual([]);
      const page = await store.listAuditRecords({ limit: 4 });
      expect(page.items.map((r) => r.id)).toEqual([
        'ar-000000503',
        'ar-000000502',
        'ar-000000501',
        newest.id,
      ]);
      expect(await store.getAuditRecord('ar-000000502')).toEqual(appended[1]);
      expect((await store.listAuditRecords({ after: newest.id, limit: 10 })).items.map((r) => r.id)).toEqual([
        'ar-000000503',
        'ar-000000502',
        'ar-000000501',
      ]);
      const all = [...more, ...appended.slice().reverse(), ...records];
      expect(await allAuditPages(store, { object: 'tok-new' }, 2)).toEqual(
        expectedAuditIds(all, { object: 'tok-new' }),
      );
      expect(await allAuditPages(store, { author: 'admin' }, 5)).toEqual(
        expectedAuditIds(all, { author: 'admin' }),
      );
    });

    it('purges records older than the retention floor', async () => {
      const store = await create();
      const appended = await store.appendAuditRecords([newRecord()]);
      const before = records[250]!.timestamp;
      await store.purgeAuditRecords(before);
      const kept = [...appended, ...records.filter((r) => r.timestamp >= before)];
      expect(kept.length).toBeLessThan(records.length);
      expect(await allAuditPages(store, {}, 13)).toEqual(kept.map((r) => r.id));
      expect(await store.getAuditRecord(records[250]!.id)).toEqual(records[250]);
      expect(await store.getAuditRecord(records.at(-1)!.id)).toBeUndefined();
      expect(await allAuditPages(store, { from: oldest.timestamp }, 50)).toEqual(kept.map((r) => r.id));
      // An earlier floor changes nothing.
      await store.purgeAuditRecords(oldest.timestamp);
      expect(await allAuditPages(store, {}, 100)).toEqual(kept.map((r) => r.id));
      expect((await store.appendAuditRecords([newRecord()]))[0]!.id).toBe('ar-000000502');
    });

    // The memory adapter gives out the ids of purged appended records again (its last id falls back to
    // the seed's newest once every appended record is purged).
    it('never gives out an id again, even once everything is purged', async () => {
      const store = await create();
      await store.appendAuditRecords([newRecord(), newRecord()]);
      await store.purgeAuditRecords(iso(NOW.getTime() + DAY));
      expect(await store.listAuditRecords({ limit: 10 })).toEqual({ items: [], nextCursor: null });
      expect(
        (await store.appendAuditRecords([newRecord({ timestamp: iso(NOW.getTime() + 2 * DAY) })]))[0]!.id,
      ).toBe('ar-000000503');
    });

    const HISTOGRAMS: [string, Partial<AuditFilter>][] = [
      ['nothing', {}],
      ['events', { summary: ['Permission denied', 'Settings changed'] }],
      ['a rare author', { author: 'önder' }],
      ['anonymous', { author: 'anonymous' }],
      ['category', { category: LOGGING_CATEGORY }],
      ['text', { q: 'backup' }],
      ['text with a line break', { q: '/8\n192' }],
      ['text that SQLite folds further', { q: 'message' }],
      ['a word that is not there', { q: 'no-such-text' }],
      ['an IPv4-mapped range', { ip: '::ffff:10.0.0.0/104' }],
      ['an address', { ip: '2001:db8::7' }],
      ['an object with quotes', { object: 'tok-%_"x"' }],
      ['address', { ip: '10.0.0.0/8' }],
      ['object', { object: 'U3' }],
      ['range', { from: tieFrom, to: tieTo }],
    ];

    it.each(HISTOGRAMS)('counts per bucket and outcome: %s', async (_, input) => {
      const store = await create();
      const filter = AuditFilterSchema.parse(input);
      expect(await store.auditHistogram(filter, DAY_STARTS)).toEqual(expectedHistogram(filter, DAY_STARTS));
      const hours = Array.from({ length: 30 }, (_, i) => Date.parse(tieFrom) + (i - 3) * HOUR);
      expect(await store.auditHistogram(filter, hours)).toEqual(expectedHistogram(filter, hours));
      expect(await store.auditHistogram(filter, [])).toEqual([]);
    });

    it('counts the most frequent values of a field', async () => {
      const store = await create();
      for (const input of [
        {},
        { summary: [...AUTH_EVENTS.slice(1)] },
        { ip: '10.0.0.0/8' },
        { ip: '::/0' },
        { q: '/8\n192' },
        { q: 'message' },
        { object: 'U3' },
      ]) {
        const filter = AuditFilterSchema.parse(input);
        for (const field of ['clientIp', 'username'] as const) {
          const counts = new Map<string, number>();
          for (const record of records.filter(compileAuditFilter(filter))) {
            const value = field === 'clientIp' ? record.source.clientIp : record.details.username;
            if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
          }
          const expected = [...counts]
            .map(([value, count]) => ({ value, count }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
            .slice(0, 3);
          expect(await store.auditTopValues(filter, field, 3), `${field} ${JSON.stringify(input)}`).toEqual(
            expected,
          );
        }
      }
    });
  });

  describe('loggers', () => {
    it('lists the nodes and their configured levels, which differ per node', async () => {
      const store = await create();
      expect((await store.listNodes()).map((n) => n.id)).toEqual(NODES);
      expect(await store.listLoggers('node-1')).toEqual(data.loggers);
      expect(await store.listLoggers('node-2')).toEqual([
        { name: ROOT_LOGGER, configuredLevel: 'WARN' },
        { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
        { name: APP_LOGGERS.authService, configuredLevel: null },
        { name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' },
        { name: 'com.example.extra', configuredLevel: 'TRACE' },
      ]);
    });

    it('sets a level on one node; null resets it to inherited; a new logger comes last', async () => {
      const store = await create();
      // Read first: a store that caches them must not answer from a stale copy.
      expect(await store.listLoggers('node-1')).toEqual(data.loggers);
      expect(await store.listLoggers('node-2')).toHaveLength(5);
      await store.setLoggerLevel('node-1', APP_LOGGERS.authService, 'DEBUG');
      await store.setLoggerLevel('node-1', 'com.example.new', 'TRACE');
      await store.setLoggerLevel('node-1', ROOT_LOGGER, null);
      await store.setLoggerLevel('node-2', 'com.example.extra', 'ERROR');
      expect(await store.listLoggers('node-1')).toEqual([
        { name: ROOT_LOGGER, configuredLevel: null },
        { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
        { name: APP_LOGGERS.authService, configuredLevel: 'DEBUG' },
        { name: APP_LOGGERS.rateLimiter, configuredLevel: null },
        { name: 'com.example.new', configuredLevel: 'TRACE' },
      ]);
      expect(await store.listLoggers('node-2')).toEqual([
        { name: ROOT_LOGGER, configuredLevel: 'WARN' },
        { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
        { name: APP_LOGGERS.authService, configuredLevel: null },
        { name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' },
        { name: 'com.example.extra', configuredLevel: 'ERROR' },
      ]);
      await store.setLoggerLevel('node-1', 'com.example.new', 'WARN');
      expect((await store.listLoggers('node-1')).at(-1)).toEqual({
        name: 'com.example.new',
        configuredLevel: 'WARN',
      });
    });

    it('answers the same list until a level changes (the log writer works levels out once per list)', async () => {
      const store = await create();
      const before = await store.listLoggers('node-1');
      expect(await store.listLoggers('node-1')).toBe(before);
      await store.setLoggerLevel('node-2', APP_LOGGERS.app, 'DEBUG');
      const after = await store.listLoggers('node-1');
      expect(after).not.toBe(before);
      expect(after).toEqual(before);
      expect(
        (await store.listLoggers('node-2')).find((l) => l.name === APP_LOGGERS.app)?.configuredLevel,
      ).toBe('DEBUG');
    });

    it('schedules and cancels level reverts', async () => {
      const store = await create();
      expect(await store.listLevelReverts()).toEqual([]);
      const first = {
        name: APP_LOGGERS.app,
        revertAt: '2026-11-25T13:00:00.000Z',
        previous: { 'node-1': 'INFO' as const, 'node-2': null },
        setBy: 'admin',
      };
      const second = {
        ...first,
        name: APP_LOGGERS.rateLimiter,
        previous: { 'node-1': null, 'node-2': 'DEBUG' as const },
      };
      await store.setLevelRevert(first.name, first);
      await store.setLevelRevert(second.name, second);
      expect(await store.listLevelReverts()).toEqual([first, second]);
      const moved = { ...first, revertAt: '2026-11-25T16:00:00.000Z', setBy: 'önder' };
      await store.setLevelRevert(first.name, moved);
      expect(await store.listLevelReverts()).toEqual([moved, second]);
      await store.setLevelRevert(first.name, null);
      expect(await store.listLevelReverts()).toEqual([second]);
      await store.setLevelRevert('not.scheduled', null);
      expect(await store.listLevelReverts()).toEqual([second]);
    });
  });

  describe('log entries', () => {
    const entries = data.logEntries;
    const FILTERS: [string, Partial<LogEntriesQuery>][] = [
      ['nothing', {}],
      ['a level', { level: ['WARN'] }],
      ['levels', { level: ['ERROR', 'FATAL', 'TRACE'] }],
      ['a logger and those below it', { logger: APP_LOGGERS.app }],
      ['a class', { logger: APP_LOGGERS.rateLimiter }],
      ['a package prefix that is no package', { logger: 'de.resolution.apitoken' }],
      ['another root', { logger: 'com' }],
      ['empty logger', { logger: '' }],
      ['node', { node: 'node-2' }],
      ['text, any case', { q: 'found a matching token' }],
      ['text with quotes and a backslash', { q: '"backup" with \\' }],
      [
        'everything',
        { level: ['INFO', 'DEBUG'], logger: 'de.resolution.apitokenauth', node: 'node-1', q: 'JDOE' },
      ],
    ];

    it.each(FILTERS)('lists newest first, page by page: %s', async (_, query) => {
      const store = await create();
      const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
      const expected = entries.filter((e) => matchesLogEntry(e, filter)).map((e) => e.id);
      expect(await store.listLogEntries({ ...query, limit: 500 })).toEqual({
        items: expected.map((id) => entries.find((e) => e.id === id)),
        nextCursor: null,
      });
      expect(await allLogPages(store, query, 6)).toEqual(expected);
    });

    it('appends entries: ids continue, newest first', async () => {
      const store = await create();
      const { id: _id, ...entry } = entries[0]!;
      await store.appendLogEntries([entry, { ...entry, message: 'Second' }]);
      const appended = [
        { ...entry, id: 'le-000000101' },
        { ...entry, id: 'le-000000102', message: 'Second' },
      ];
      expect(await store.listLogEntries({ limit: 3 })).toEqual({
        items: [appended[1], appended[0], entries[0]],
        nextCursor: entries[0]!.id,
      });
      expect((await store.listLogEntries({ q: 'second', limit: 3 })).items).toEqual([appended[1]]);
    });
  });

  it('keeps the demo session account', async () => {
    const store = await create();
    expect(await store.getDemoSessionUsername()).toBeNull();
    await store.setDemoSessionUsername('auditor');
    expect(await store.getDemoSessionUsername()).toBe('auditor');
    await store.setDemoSessionUsername(null);
    expect(await store.getDemoSessionUsername()).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// What the server's stores have beyond the port (passwords, sessions, bulk load), and what only one of
// them has.
// ---------------------------------------------------------------------------------------------------

describe('SqliteStore (server)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'atc-store-'));
    dirs.push(dir);
    return join(dir, 'console.db');
  };

  it('migrates once: a second run applies nothing', async () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT version, description FROM schema_migrations').all()).toEqual([
      { version: 1, description: 'Initial schema' },
      { version: 2, description: 'Issues created through the Jira-shaped REST surface' },
      { version: 3, description: 'Token rotation: the previous secret and its grace period' },
      { version: 4, description: 'Indexes for every audit filter' },
      { version: 5, description: 'An index for the username filter' },
      { version: 6, description: 'The audit writer indexes new records itself' },
      { version: 7, description: 'Free-text search over the distinct texts of the audit log' },
    ]);
    const store = new SqliteStore(db);
    expect(await store.listUsers()).toEqual([]);
    expect((await store.listNodes()).map((n) => n.id)).toEqual([]);
    db.close();
  });

  it('keeps the tokens of a database from before rotation: they have no previous secret', async () => {
    const db = new Database(':memory:');
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    const token = newToken();
    const row = tokenRowBeforeRotation(token);
    db.prepare(
      `INSERT INTO tokens (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
        .map(() => '?')
        .join(', ')})`,
    ).run(...Object.values(row));
    expect(migrate(db)).toEqual([3, 4, 5, 6, 7]);
    const store = new SqliteStore(db);
    expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
    db.close();
  });

  it('keeps its file in WAL mode, with foreign keys', async () => {
    const store = SqliteStore.open(tempFile());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });
});

const storeDirs: string[] = [];

/**
 * Each server store: a new one (`open`), and a place for its data that outlives a store (a file, a
 * schema) with a store on it (`openAt`).
 */
const SERVER_STORES: [
  string,
  {
    open: (nodes?: string[]) => Promise<SqliteStore | PostgresStore>;
    place: () => Promise<string>;
    openAt: (place: string, nodes?: string[]) => Promise<SqliteStore | PostgresStore>;
  },
][] = [
  [
    'SqliteStore',
    {
      open: async (nodes) => SqliteStore.open(':memory:', { nodes }),
      place: async () => {
        storeDirs.push(mkdtempSync(join(tmpdir(), 'atc-store-')));
        return join(storeDirs.at(-1)!, 'console.db');
      },
      openAt: async (path, nodes) => SqliteStore.open(path, { nodes }),
    },
  ],
  [
    'PostgresStore',
    {
      open: async (nodes) => PostgresStore.open(await createTestSchema(), { nodes }),
      place: createTestSchema,
      openAt: (url, nodes) => PostgresStore.open(url, { nodes }),
    },
  ],
];

describe.each(SERVER_STORES)('%s (server)', (_name, { open, place, openAt }) => {
  afterEach(() => {
    for (const dir of storeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps everything in its database: a store opened on it later sees it all, and ids go on', async () => {
    const where = await place();
    const store = await openAt(where);
    expect((await store.listNodes()).map((n) => n.id)).toEqual(['node-1']);
    await store.seed({ ...data, nodes: ['node-1'] });
    await store.appendAuditRecords([newRecord()]);
    await store.saveSettings(DEFAULT_SETTINGS, 1, 'admin', NOW);
    const issue = await store.createIssue({
      projectKey: 'DEMO',
      issueTypeId: '10001',
      summary: 'Kept',
      description: null,
      reporterKey: 'U1',
      reporterUsername: 'admin',
      createdAt: NOW.toISOString(),
    });
    await store.close();

    const reopened = await openAt(where, ['node-1', 'node-3']);
    expect((await reopened.listNodes()).map((n) => n.id)).toEqual(['node-1', 'node-3']);
    expect((await reopened.getSettings()).version).toBe(2);
    expect((await reopened.listTokens(BASE_TOKEN_FILTER)).total).toBe(data.tokens.length);
    expect((await reopened.appendAuditRecords([newRecord()]))[0]!.id).toBe('ar-000000502');
    expect(await reopened.listLoggers('node-3')).toEqual(data.loggers);
    expect(await reopened.findIssue('DEMO-1')).toEqual(issue);
    await reopened.close();
  });

  it('adds users with passwords; groups come from the users', async () => {
    const store = await open();
    await store.insertUser(USERS[0]!, 'scrypt$hash');
    await store.insertUser(USERS[3]!);
    await expect(store.insertUser(USERS[0]!)).rejects.toThrow();
    expect(await store.listUsers()).toEqual([USERS[0], USERS[3]]);
    expect(await store.listGroups()).toEqual(['développeurs', 'jira-administrators', 'jira-software-users']);
    expect(await store.getPasswordHash('admin')).toBe('scrypt$hash');
    expect(await store.getPasswordHash('önder')).toBeNull();
    expect(await store.getPasswordHash('nope')).toBeNull();
    expect(await store.setPassword('önder', 'scrypt$other')).toBe(true);
    expect(await store.getPasswordHash('önder')).toBe('scrypt$other');
    expect(await store.setPassword('nope', 'x')).toBe(false);
    await store.close();
  });

  it('keeps sessions until they expire or are deleted', async () => {
    const store = await open();
    await store.insertUser(USERS[0]!);
    const session = {
      idHash: 'h1',
      userKey: 'U1',
      csrfToken: 'c1',
      createdAt: '2026-11-25T12:00:00.000Z',
      expiresAt: '2026-11-25T20:00:00.000Z',
    };
    await store.createSession(session);
    await store.createSession({ ...session, idHash: 'h2', expiresAt: '2026-11-25T13:00:00.000Z' });
    await expect(store.createSession({ ...session, idHash: 'h3', userKey: 'nope' })).rejects.toThrow();
    expect(await store.findSession('h1')).toEqual(session);
    expect(await store.findSession('h2', new Date('2026-11-25T13:00:00.000Z'))).toBeUndefined();
    expect((await store.findSession('h2', new Date('2026-11-25T12:59:59.999Z')))?.idHash).toBe('h2');
    expect(await store.purgeSessions('2026-11-25T13:00:00.000Z')).toBe(1);
    expect(await store.findSession('h2')).toBeUndefined();
    expect(await store.deleteSession('h1')).toBe(true);
    expect(await store.deleteSession('h1')).toBe(false);
    expect(await store.findSession('h1')).toBeUndefined();
    await store.close();
  });

  it('seeds in one transaction: a failing data set leaves nothing behind', async () => {
    const store = await open(NODES);
    const broken = { ...data, tokens: [...data.tokens, data.tokens[0]!] };
    await expect(store.seed(broken)).rejects.toThrow();
    expect(await store.listUsers()).toEqual([]);
    expect((await store.listAuditRecords({ limit: 10 })).items).toEqual([]);
    await store.close();
  });
});

describe('PostgresStore (server)', () => {
  it('migrates once: a second run applies nothing', async () => {
    const pool = new pg.Pool({ connectionString: await createTestSchema() });
    try {
      expect(await migratePostgres(pool)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      expect(await migratePostgres(pool)).toEqual([]);
      expect(
        (await pool.query('SELECT version, description FROM schema_migrations ORDER BY version')).rows,
      ).toEqual(PG_MIGRATIONS.map(({ version, description }) => ({ version, description })));
    } finally {
      await pool.end();
    }
  });

  it('keeps the tokens of a database from before rotation: they have no previous secret', async () => {
    const url = await createTestSchema();
    const pool = new pg.Pool({ connectionString: url });
    const token = newToken();
    try {
      expect(await migratePostgres(pool, PG_MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
      const row = { ...tokenRowBeforeRotation(token), description_lc: token.description.toLowerCase() };
      await pool.query(
        `INSERT INTO tokens (${Object.keys(row).join(', ')})
         VALUES (${Object.keys(row)
           .map((_, i) => `$${i + 1}`)
           .join(', ')})`,
        Object.values(row),
      );
    } finally {
      await pool.end();
    }
    const store = await PostgresStore.open(url);
    expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
    await store.close();
  });

  it('gives ids out in call order to appends of one turn and of the next', async () => {
    const store = await PostgresStore.open(await createTestSchema());
    const appends = Array.from({ length: 20 }, (_, i) =>
      store.appendAuditRecords([
        newRecord(),
        newRecord({ summary: i % 2 ? 'API token deleted' : 'API token created' }),
      ]),
    );
    const later = (async () => {
      await new Promise((done) => setImmediate(done));
      return store.appendAuditRecords([newRecord()]);
    })();
    const ids = [...(await Promise.all(appends)), await later].flat().map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 41 }, (_, i) => `ar-${String(i + 1).padStart(9, '0')}`));
    await store.close();
  });

  it('a node is one process’s alone: a second store for it is refused until the first closes', async () => {
    const url = await createTestSchema();
    const first = await PostgresStore.open(url);
    await expect(PostgresStore.open(url)).rejects.toThrow(
      /^Another server process is node node-1 of postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/atc_test_\w+\?options=.*\. Give this one another --node/,
    );
    // Another node of the same database is welcome (a cluster), and another schema is another database.
    await (await PostgresStore.open(url, { node: 'node-2' })).close();
    await (await PostgresStore.open(await createTestSchema())).close();
    await first.close();
    await (await PostgresStore.open(url)).close();
  });

  it('says which database it cannot open, without its password', async () => {
    const url = new URL(await createTestSchema());
    url.password = 'wrong-secret';
    const opening = PostgresStore.open(url.toString());
    await expect(opening).rejects.toThrow(/^Cannot open postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
    await expect(opening).rejects.not.toThrow(/wrong-secret/);
  });

  it('reads a username filter along its index', async () => {
    const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes });
    await store.seed(data);
    const client = await store.pool.connect();
    // The contract's data set is small enough for a scan of the table: the question is which index a
    // scan along an index takes.
    await client.query('SET enable_seqscan = off');
    const { text, values } = positional(
      `EXPLAIN SELECT id FROM audit_records WHERE ${auditConditions(
        AuditFilterSchema.parse({ username: 'jdoe' }),
        undefined,
        POSTGRES_DIALECT,
      ).where.username.join(' AND ')} AND id < @below ORDER BY id DESC LIMIT 101`,
      { username: 'jdoe', below: 'ar-999999999' },
    );
    const plan = (await client.query<{ 'QUERY PLAN': string }>(text, values)).rows.map(
      (r) => r['QUERY PLAN'],
    );
    client.release();
    expect(plan.join('\n')).toMatch(
      /Index (Only )?Scan (Backward )?(using|on) audit_records_details_username/,
    );
    await store.close();
  });

  // The conditions that use PostgreSQL's indexes decide alone (no record is read to check it), so they
  // must mean exactly what the filter's one definition means.
  it('answers every filter from its indexed columns alone, as matchesAuditFilter does', async () => {
    const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes });
    await store.seed(data);
    for (const [name, input] of AUDIT_FILTERS) {
      const filter = AuditFilterSchema.parse(input);
      const c = auditConditions(filter, undefined, POSTGRES_DIALECT);
      if (!c.exact) continue;
      const where = Object.values(c.where).flat();
      const { text, values } = positional(
        `SELECT id FROM audit_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`,
        c.params,
      );
      const ids = (await store.pool.query<{ id: string }>(text, values)).rows.map((row) => row.id);
      expect(ids, name).toEqual(expectedAuditIds(data.auditRecords, input));
    }
    await store.close();
  });
});

// ---------------------------------------------------------------------------------------------------
// PostgreSQL's free text over the distinct texts of the log (migration 7): each of its ways to read
// (along a few texts' pairs, a few texts with other filters, a common text checked on each record)
// answers as the filter's one definition does; the texts follow what is written, purged and rolled
// back, on any node.
// ---------------------------------------------------------------------------------------------------

describe('PostgresStore: free text over the distinct texts', () => {
  const TEXT_FILTERS = AUDIT_FILTERS.filter(([, filter]) => filter.q !== undefined);
  /** The free text alone, and with filters that PostgreSQL's planner weighs against it. */
  const WITH: Partial<AuditFilter>[] = [{}, { category: AUDIT_CATEGORY }, { from: tieFrom, to: tieTo }];

  async function expectEveryTextFilter(store: PostgresStore) {
    for (const [name, input] of TEXT_FILTERS) {
      for (const other of WITH) {
        const filter = { ...input, ...other };
        const expected = expectedAuditIds(records, filter);
        expect(await allAuditPages(store, filter, 7), `${name} ${JSON.stringify(other)}`).toEqual(expected);
        const parsed = AuditFilterSchema.parse(filter);
        expect(await store.auditHistogram(parsed, DAY_STARTS), name).toEqual(
          expectedHistogram(parsed, DAY_STARTS),
        );
      }
    }
  }

  it('answers every free-text filter along the texts, and with every text checked on each record', async () => {
    const seeded = async (options: { maxTextScans?: number }) => {
      const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes, ...options });
      opened.push(store);
      await store.seed(data);
      return store;
    };
    await expectEveryTextFilter(await seeded({}));
    await expectEveryTextFilter(await seeded({ maxTextScans: 0 }));
  });

  it('a database before migration 7 gets its texts', async () => {
    const url = await createTestSchema();
    const pool = new pg.Pool({ connectionString: url });
    try {
      expect(await migratePostgres(pool, PG_MIGRATIONS.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
      await insertRows(pool, 'audit_records', AUDIT_COLUMNS, records.map(auditRow));
    } finally {
      await pool.end();
    }
    const store = await PostgresStore.open(url, { nodes: data.nodes });
    opened.push(store);
    const distinct = new Set(records.flatMap((r) => [...recordTexts(r)]));
    const { rows } = await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_texts');
    expect(Number(rows[0]!.n)).toBe(distinct.size);
    await expectEveryTextFilter(store);
  });

  it('retention deletes the texts no record has; a writer on another node never points to one', async () => {
    const url = await createTestSchema();
    const one = await PostgresStore.open(url, { nodes: NODES });
    const two = await PostgresStore.open(url, { node: 'node-2' });
    opened.push(one, two);
    await one.seed(data);
    const texts = async () =>
      (await one.pool.query<{ text: string }>('SELECT text FROM audit_texts')).rows.map((r) => r.text);
    const old = (text: string) =>
      newRecord({
        timestamp: iso(NOW.getTime() - 30 * DAY),
        summary: 'API token deleted',
        details: { tokenDescription: text },
      });
    // Node 2 writes (and knows) a text whose only record retention is about to purge.
    await two.appendAuditRecords([old('Soon Forgotten')]);
    expect(await texts()).toContain('soon forgotten');
    await one.purgeAuditRecords(oldest.timestamp);
    expect(await texts()).not.toContain('soon forgotten');
    expect(await texts()).toContain('api token deleted');
    // The same text again, on node 2: a new text, found.
    const [again] = await two.appendAuditRecords([
      newRecord({ details: { tokenDescription: 'Soon forgotten' } }),
    ]);
    expect(await texts()).toContain('soon forgotten');
    for (const store of [one, two]) {
      expect((await store.listAuditRecords({ q: 'SOON FORGOTTEN', limit: 10 })).items).toEqual([again]);
    }
    // Every pair points to a text; every text has a pair.
    const { rows } = await one.pool.query<{ dangling: string; orphans: string }>(
      `SELECT (SELECT count(*) FROM audit_record_texts AS p
                WHERE NOT EXISTS (SELECT 1 FROM audit_texts WHERE id = p.text_id)) AS dangling,
              (SELECT count(*) FROM audit_texts AS t
                WHERE NOT EXISTS (SELECT 1 FROM audit_record_texts WHERE text_id = t.id)) AS orphans`,
    );
    expect(rows[0]).toEqual({ dangling: '0', orphans: '0' });
  });

  it('a transaction rolled back leaves no text behind: the next records with its texts are found', async () => {
    const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes });
    opened.push(store);
    const fresh = fixtureNewAuditRecord(newest.timestamp, { details: { tokenDescription: 'Rolled Back' } });
    const broken: DataSet = {
      ...data,
      auditRecords: [{ id: 'ar-000000501', ...fresh }, ...data.auditRecords],
      logEntries: [data.logEntries[0]!, ...data.logEntries],
    };
    // The audit records and their texts are in, then a log entry's id comes twice.
    await expect(store.seed(broken)).rejects.toThrow();
    await store.seed(data);
    const [appended] = await store.appendAuditRecords([fresh]);
    expect((await store.listAuditRecords({ q: 'rolled back', limit: 10 })).items).toEqual([appended]);
  });
});
