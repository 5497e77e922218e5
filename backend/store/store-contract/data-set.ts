/**
 * The store contract's data set, which every adapter is seeded with: one small data set, built to reach
 * every branch: every token status (and its boundaries), scope, never-used tokens, equal dates (the id
 * breaks the tie), every audit event, authors with non-ASCII names, IPv4 and IPv6 sources, proxies,
 * equal timestamps, line breaks in texts, loggers that differ per node, log entries of every level.
 */
import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  AUDIT_EVENTS,
  LOGGING_CATEGORY,
  type AuditEvent,
  type AuditRecord,
  type FailureReason,
} from '../../../contract/audit';
import { APP_LOGGERS, ROOT_LOGGER, type LogEntry, type LogLevel } from '../../../contract/logging';
import type { User } from '../../../contract/users';
import { FIXTURE_USERS } from '../../test/fixtures';
import type { DataSet, StoredToken } from '../port';

export const NOW = new Date('2026-11-25T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();
export const NODES = ['node-1', 'node-2'];

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
export const USERS: User[] = [
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

export const AUTH_EVENTS: AuditEvent[] = [
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

export const data = buildData();
