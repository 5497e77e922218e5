// @vitest-environment node
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  AUDIT_EVENTS,
  AuditRecordSchema,
  LOGGING_CATEGORY,
  SIGN_IN_EVENTS,
  type AuditRecord,
} from '../../contract/audit';
import { DEMO_ACCOUNTS } from '../../contract/demo';
import {
  APP_LOGGERS,
  DEMO_NODES,
  LogEntrySchema,
  LoggerConfigSchema,
  ROOT_LOGGER,
} from '../../contract/logging';
import { READ_ONLY_METHODS, TOKEN_SECRET_PREFIX, TokenSchema } from '../../contract/tokens';
import { UserSchema } from '../../contract/user-schemas';
import { formatCreated, logLines } from '../../backend/auth/log-lines';
import { hashSecret } from '../../backend/auth/secrets';
import {
  AUDIT_WINDOW_DAYS,
  auditRecordId,
  DEFAULT_AUDIT_RECORD_COUNT,
  EXPIRING_SOON_DAYS,
  LOG_WINDOW_DAYS,
  generateDemoData,
  generateDemoDataInChunks,
} from './generate';
import { createRng, weightedTable } from './random';

const DAY = 86_400_000;
const NOW = new Date('2025-06-16T09:41:27.512Z');
const NOW_MS = NOW.getTime();

/** Where a log line has a value: the formatters get this word, the patterns match any value there. */
const VALUE = 'VALUEOFTHELINE';
const CREATED = '2021-01-06T14:14:46.000Z';
const NUMBER = 987654321;
/** The engine's log line formats (the source-rate-limited one aside: the seed has no such source) as patterns. */
const ENGINE_FORMATS: RegExp[] = (() => {
  const token = { description: VALUE, scope: 'READ_ONLY' as const, createdAt: CREATED };
  const lines = [
    ...logLines.authenticated(token, VALUE, VALUE),
    logLines.passedOn(VALUE, VALUE),
    logLines.basicFailed(VALUE, VALUE),
    logLines.bearerFailed(VALUE),
    logLines.ipRestricted(token, VALUE, VALUE, VALUE),
    logLines.permissionDenied(token, VALUE, VALUE, VALUE),
    logLines.rateLimited(token, VALUE, NUMBER, NUMBER, VALUE),
  ];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return lines.map(
    (line) =>
      new RegExp(
        `^${escape(line)
          .replaceAll(VALUE, '.+')
          .replaceAll(
            escape(formatCreated(CREATED)),
            '[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M',
          )
          .replaceAll(String(Date.parse(CREATED)), '\\d+')
          .replaceAll(String(NUMBER), '\\d+')
          .replaceAll('Read Only', '(Read Only|Read & Write)')}$`,
      ),
  );
})();

const timed = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};

// One full-size data set, shared by the read-only checks below.
const [data, fullMs] = timed(() => generateDemoData({ now: NOW }));
const ms = (iso: string) => Date.parse(iso);

describe('random', () => {
  it('is deterministic per seed and stays in range', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(8).next()).not.toBe(xs[0]);
    const r = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n === 3 || n === 4 || n === 5).toBe(true);
    }
    expect(r.bytes(16)).toHaveLength(16);
    expect(createRng(3).fork('x').next()).toBe(createRng(3).fork('x').next());
    expect(createRng(3).fork('x').next()).not.toBe(createRng(3).fork('y').next());
  });

  it('picks by weight', () => {
    const table = weightedTable([
      ['a', 1],
      ['b', 0],
      ['c', 3],
    ]);
    const r = createRng(11);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) counts[table.pick(r.next()) as 'a' | 'b' | 'c']++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.5);
    expect(counts.c / counts.a).toBeLessThan(3.5);
  });
});

describe('generateDemoData', () => {
  it('is deterministic: same now and seed give deep-equal data', () => {
    const a = generateDemoData({ now: NOW, seed: 42, auditRecordCount: 5000 });
    const b = generateDemoData({ now: NOW, seed: 42, auditRecordCount: 5000 });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect([...b.tokenSecrets]).toEqual([...a.tokenSecrets]);

    const again = generateDemoData({ now: NOW });
    expect(JSON.stringify(again.tokens)).toBe(JSON.stringify(data.tokens));
    expect(again.auditRecords).toHaveLength(data.auditRecords.length);
    expect(JSON.stringify(again.auditRecords.slice(0, 1000))).toBe(
      JSON.stringify(data.auditRecords.slice(0, 1000)),
    );
    expect(JSON.stringify(again.auditRecords.slice(-1000))).toBe(
      JSON.stringify(data.auditRecords.slice(-1000)),
    );
    expect(JSON.stringify(again.logEntries)).toBe(JSON.stringify(data.logEntries));
  });

  it('gives the same data with its audit records chunk by chunk, oldest first', () => {
    const whole = generateDemoData({ now: NOW, seed: 42, auditRecordCount: 5000 });
    const { data: rest, auditChunks } = generateDemoDataInChunks(
      { now: NOW, seed: 42, auditRecordCount: 5000 },
      1024,
    );
    const chunks = [...auditChunks];
    expect(chunks.map((chunk) => chunk.length)).toEqual([1024, 1024, 1024, 1024, 904]);
    expect(chunks.flat()).toEqual(whole.auditRecords.toReversed());
    expect({ ...rest, auditRecords: whole.auditRecords }).toEqual(whole);
  });

  it('differs for a different seed', () => {
    const a = generateDemoData({ now: NOW, seed: 1, auditRecordCount: 2000 });
    const b = generateDemoData({ now: NOW, seed: 2, auditRecordCount: 2000 });
    expect(JSON.stringify(b.tokens)).not.toBe(JSON.stringify(a.tokens));
    expect(JSON.stringify(b.auditRecords)).not.toBe(JSON.stringify(a.auditRecords));
  });

  it('keeps users and tokens when only the audit record count changes', () => {
    const small = generateDemoData({ now: NOW, auditRecordCount: 3000 });
    expect(small.auditRecords).toHaveLength(3000);
    expect(small.users).toEqual(data.users);
    expect(small.tokens).toEqual(data.tokens);
  });

  it('has the expected sizes', () => {
    expect(data.users.length).toBeGreaterThanOrEqual(50);
    expect(data.tokens.length).toBeGreaterThanOrEqual(300);
    expect(data.auditRecords.length).toBe(DEFAULT_AUDIT_RECORD_COUNT);
    expect(data.auditRecords.length).toBeGreaterThanOrEqual(100_000);
    expect(data.logEntries.length).toBeGreaterThanOrEqual(300);
  });

  it('generates 100,000 audit records quickly', () => {
    // The target is well under 300 ms on a slow machine; the bound here only catches gross regressions.
    expect(fullMs).toBeLessThan(3000);
  });

  describe('users', () => {
    it('are valid and unique, with the demo accounts and the automation user', () => {
      for (const user of data.users) expect(UserSchema.parse(user)).toEqual(user);
      expect(new Set(data.users.map((u) => u.key)).size).toBe(data.users.length);
      expect(new Set(data.users.map((u) => u.username)).size).toBe(data.users.length);
      for (const u of data.users) {
        expect(u.key).toMatch(/^JIRAUSER\d{5}$/);
        expect(u.email).toBe(`${u.username}@example.com`);
        expect(u.username).toMatch(/^[a-z0-9-]+$/);
      }
      for (const account of DEMO_ACCOUNTS) {
        expect(data.users.find((u) => u.username === account.username)?.role).toBe(account.role);
      }
      expect(data.users.find((u) => u.username === 'admin')?.displayName).toBe('Alice Admin');
      expect(data.users.find((u) => u.username === 'jdoe')?.displayName).toBe('John Doe');
      expect(data.users.find((u) => u.username === 'automation-user')?.role).toBe('user');
      const roles = data.users.map((u) => u.role);
      expect(roles.filter((r) => r === 'admin').length).toBeLessThanOrEqual(3);
      expect(roles.filter((r) => r === 'user').length).toBeGreaterThan(50);
    });

    it('belong to several groups; groups are the sorted union', () => {
      const union = [...new Set(data.users.flatMap((u) => u.groups))].sort();
      expect(data.groups).toEqual(union);
      expect(data.groups.length).toBeGreaterThanOrEqual(6);
      for (const g of [
        'jira-administrators',
        'jira-software-users',
        'api-users',
        'automation',
        'developers',
        'support',
        'auditors',
      ]) {
        expect(data.groups).toContain(g);
      }
    });
  });

  describe('tokens', () => {
    const byUser = (username: string) => data.tokens.filter((t) => t.ownerUsername === username);

    it('are valid, unique and belong to existing users', () => {
      const users = new Map(data.users.map((u) => [u.key, u]));
      for (const token of data.tokens) {
        const { secretHash, previousSecretHash: _previous, ...contract } = token;
        expect(TokenSchema.parse(contract)).toEqual(contract);
        expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
        expect(token.id).toMatch(/^tok_[0-9a-z]{12}$/);
        expect(users.get(token.ownerKey)?.username).toBe(token.ownerUsername);
        expect(data.users.some((u) => u.username === token.createdBy)).toBe(true);
      }
      expect(new Set(data.tokens.map((t) => t.id)).size).toBe(data.tokens.length);
      for (const name of ['admin', 'jdoe', 'automation-user'])
        expect(byUser(name).length).toBeGreaterThanOrEqual(3);
      expect(data.tokens.some((t) => t.createdBy === 'admin' && t.ownerUsername !== 'admin')).toBe(true);
    });

    it('have consistent dates', () => {
      for (const t of data.tokens) {
        const created = ms(t.createdAt);
        expect(created).toBeLessThan(NOW_MS);
        expect(created).toBeGreaterThanOrEqual(NOW_MS - 731 * DAY);
        if (t.expiresAt) expect(ms(t.expiresAt)).toBeGreaterThan(created);
        expect(t.lastUsedAt === null).toBe(t.lastUsedIp === null);
        if (t.lastUsedAt) {
          const used = ms(t.lastUsedAt);
          expect(used).toBeGreaterThanOrEqual(created);
          expect(used).toBeLessThanOrEqual(Math.min(NOW_MS, t.expiresAt ? ms(t.expiresAt) : Infinity));
        }
      }
    });

    it('cover every state relative to now', () => {
      const soon = NOW_MS + EXPIRING_SOON_DAYS * DAY;
      const states = {
        neverExpires: data.tokens.filter((t) => t.expiresAt === null),
        active: data.tokens.filter((t) => t.expiresAt !== null && ms(t.expiresAt) > soon),
        expiringSoon: data.tokens.filter(
          (t) => t.expiresAt && ms(t.expiresAt) > NOW_MS && ms(t.expiresAt) <= soon,
        ),
        expired: data.tokens.filter((t) => t.expiresAt && ms(t.expiresAt) <= NOW_MS),
        neverUsed: data.tokens.filter((t) => t.lastUsedAt === null),
        ipRestricted: data.tokens.filter((t) => t.ipRestrictions.length > 0),
        readOnly: data.tokens.filter((t) => t.scope === 'READ_ONLY'),
        readWrite: data.tokens.filter((t) => t.scope === 'READ_WRITE'),
      };
      for (const [state, list] of Object.entries(states)) expect(list.length, state).toBeGreaterThan(3);
      // The demo accounts see a varied list too.
      const jdoe = byUser('jdoe');
      expect(jdoe.some((t) => t.expiresAt && ms(t.expiresAt) <= NOW_MS)).toBe(true);
      expect(jdoe.some((t) => t.expiresAt && ms(t.expiresAt) > NOW_MS && ms(t.expiresAt) <= soon)).toBe(true);
      expect(jdoe.some((t) => t.lastUsedAt === null)).toBe(true);
      expect(jdoe.some((t) => t.ipRestrictions.length > 0)).toBe(true);
    });

    it('have IP restrictions of every kind, which their last used address satisfies', () => {
      const all = data.tokens.flatMap((t) => t.ipRestrictions);
      expect(all.some((r) => ipaddr.IPv4.isValid(r) && !r.includes('/'))).toBe(true);
      expect(all.some((r) => r.includes('/') && ipaddr.parseCIDR(r)[0].kind() === 'ipv4')).toBe(true);
      expect(all.some((r) => r.includes('/') && ipaddr.parseCIDR(r)[0].kind() === 'ipv6')).toBe(true);
      for (const t of data.tokens) {
        for (const r of t.ipRestrictions) expect(ipaddr.isValid(r) || ipaddr.isValidCIDR(r), r).toBe(true);
        if (!t.lastUsedIp || t.ipRestrictions.length === 0) continue;
        const ip = ipaddr.parse(t.lastUsedIp);
        const allowed = t.ipRestrictions.some((r) => {
          const range: [ipaddr.IPv4 | ipaddr.IPv6, number] = r.includes('/')
            ? ipaddr.parseCIDR(r)
            : [ipaddr.parse(r), ipaddr.parse(r).kind() === 'ipv4' ? 32 : 128];
          return range[0].kind() === ip.kind() && ip.match(range);
        });
        expect(allowed, `${t.lastUsedIp} in ${t.ipRestrictions.join(', ')}`).toBe(true);
      }
    });

    it('have secrets with the prefix whose hash is stored', () => {
      expect(data.tokenSecrets.size).toBe(data.tokens.length);
      for (const t of data.tokens) {
        const secret = data.tokenSecrets.get(t.id);
        expect(secret?.startsWith(TOKEN_SECRET_PREFIX)).toBe(true);
        expect(hashSecret(secret ?? '')).toBe(t.secretHash);
      }
      expect(new Set(data.tokenSecrets.values()).size).toBe(data.tokens.length);
    });
  });

  describe('audit records', () => {
    const records = data.auditRecords;

    it('are newest first, with unique ids that grow with time, within the last 90 days', () => {
      const windowStart = new Date(NOW_MS - AUDIT_WINDOW_DAYS * DAY).toISOString();
      const now = NOW.toISOString();
      let ordered = true;
      let inWindow = true;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        if (r.timestamp < windowStart || r.timestamp > now) inWindow = false;
        const older = records[i + 1];
        if (older && !(older.timestamp <= r.timestamp && older.id < r.id)) ordered = false;
      }
      expect(ordered).toBe(true);
      expect(inWindow).toBe(true);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      expect(records[0]!.id).toMatch(/^ar-\d{9}$/);
      // The timestamps are plain ISO strings, as Date#toISOString writes them.
      for (let i = 0; i < records.length; i += 101) {
        const r = records[i]!;
        expect(new Date(r.timestamp).toISOString()).toBe(r.timestamp);
      }
    });

    it('cover every event with realistic proportions', () => {
      const counts = new Map<string, number>();
      for (const r of records) counts.set(r.summary, (counts.get(r.summary) ?? 0) + 1);
      // Every event but the real server's sign-ins (the demo switches accounts instead).
      const demoEvents = AUDIT_EVENTS.filter((e) => !(SIGN_IN_EVENTS as readonly string[]).includes(e));
      for (const event of demoEvents) expect(counts.get(event) ?? 0, event).toBeGreaterThan(0);
      const success = counts.get('Successful authentication') ?? 0;
      expect(success / records.length).toBeGreaterThan(0.5);
      for (const [event, n] of counts)
        if (event !== 'Successful authentication') expect(n).toBeLessThan(success);
    });

    it('parse with the contract schema and are JSON-serialisable', () => {
      const sample = records.filter(
        (r, i) => i % 97 === 0 || r.author.username !== null || r.summary === 'Further failed attempts',
      );
      for (const r of sample) expect(AuditRecordSchema.parse(r)).toEqual(r);
      expect(JSON.parse(JSON.stringify(sample))).toEqual(sample);
      expect(structuredClone(sample)).toEqual(sample);
    });

    it('write authentication events as Anonymous, with the user and token affected', () => {
      const users = new Set(data.users.map((u) => u.key));
      const tokens = new Map(data.tokens.map((t) => [t.id, t]));
      const problems: string[] = [];
      const check = (ok: unknown, r: AuditRecord, what: string) => {
        if (!ok && problems.length < 20) problems.push(`${r.id} ${r.summary}: ${what}`);
      };
      let checked = 0;
      for (let i = 0; i < records.length; i += 3) {
        const r = records[i]!;
        if (r.author.username !== null) continue;
        checked++;
        check(r.author.displayName === ANONYMOUS_AUTHOR, r, 'author');
        check(r.category === AUDIT_CATEGORY, r, 'category');
        check(r.source.nodeId === DEMO_NODES[0] || r.source.nodeId === DEMO_NODES[1], r, 'node');
        // An aggregate of many attempts names no one request's endpoint.
        if (r.summary !== 'Further failed attempts')
          check(r.details.endpoint?.startsWith('/rest/'), r, 'endpoint');
        check(r.changedValues.length === 0, r, 'changed values');
        const user = r.affectedObjects.find((o) => o.type === 'user');
        if (user) check(users.has(user.id) && user.name === r.details.username, r, 'affected user');
        const token = r.details.tokenId === undefined ? undefined : tokens.get(r.details.tokenId);
        if (token) {
          check(token.description === r.details.tokenDescription, r, 'token description');
          check(token.ownerUsername === r.details.username, r, 'token owner');
          check(token.scope === r.details.scope, r, 'token scope');
          check(ms(token.createdAt) <= ms(r.timestamp), r, 'used before its creation');
        }
        switch (r.summary) {
          case 'Successful authentication':
            check(token && r.details.reason === undefined, r, 'success');
            check(token?.lastUsedAt && r.timestamp <= token.lastUsedAt, r, 'used after lastUsedAt');
            check(
              token?.scope === 'READ_WRITE' || READ_ONLY_METHODS.some((m) => m === r.source.method),
              r,
              'scope',
            );
            break;
          case 'Permission denied':
            check(
              token && r.details.reason === 'READ_ONLY_SCOPE' && r.details.scope === 'READ_ONLY',
              r,
              'denied',
            );
            check(!READ_ONLY_METHODS.some((m) => m === r.source.method), r, 'denied method');
            break;
          case 'Failed API token verification':
            check(r.details.reason === 'NO_VALID_TOKEN' && r.details.username, r, 'verification');
            break;
          case 'Further failed attempts':
            check(
              r.details.furtherAttempts &&
                r.details.furtherAttempts.count > 0 &&
                r.affectedObjects.length === 0,
              r,
              'further attempts',
            );
            break;
          case 'Failed API token basic authentication attempt':
            check(r.details.username && r.details.reason !== 'NO_VALID_TOKEN', r, 'basic');
            if (r.details.reason === 'EXPIRED_TOKEN')
              check(token?.expiresAt && token.expiresAt < r.timestamp, r, 'expired');
            if (r.details.reason === 'IP_RESTRICTED') check(token?.ipRestrictions.length, r, 'restricted');
            break;
          case 'Failed API token bearer authentication attempt':
            check(r.details.reason, r, 'bearer');
            break;
          default:
            check(false, r, 'not an authentication event');
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(records.length / 4);
    });

    it('record failed bearer attempts without a username', () => {
      const bearer = records.filter((r) => r.summary === 'Failed API token bearer authentication attempt');
      expect(bearer.length).toBeGreaterThan(100);
      for (const r of bearer) {
        expect(r.details.username).toBeUndefined();
        expect(r.affectedObjects.some((o) => o.type === 'user')).toBe(false);
      }
    });

    it('use a pool of client addresses, a few of them noisy', () => {
      const failures = new Map<string, number>();
      const clients = new Set<string>();
      for (const r of records) {
        if (r.source.clientIp) clients.add(r.source.clientIp);
        if (r.details.reason && r.source.clientIp)
          failures.set(r.source.clientIp, (failures.get(r.source.clientIp) ?? 0) + 1);
      }
      expect(clients.size).toBeGreaterThan(40);
      const top = [...failures.values()].sort((a, b) => b - a);
      expect(top[0]!).toBeGreaterThan(10 * top[Math.floor(top.length / 2)]!);
      expect([...clients].some((ip) => ip.includes(':'))).toBe(true);
    });

    it('match token creations and deletions by token id', () => {
      const windowStart = NOW_MS - AUDIT_WINDOW_DAYS * DAY;
      const created = new Map(
        records.filter((r) => r.summary === 'API token created').map((r) => [r.details.tokenId, r]),
      );
      for (const t of data.tokens) {
        if (ms(t.createdAt) <= windowStart) continue;
        const r = created.get(t.id);
        expect(r?.timestamp).toBe(t.createdAt);
        expect(r?.author.username).toBe(t.createdBy);
      }
      const existing = new Set(data.tokens.map((t) => t.id));
      const deleted = records.filter((r) => r.summary === 'API token deleted');
      for (const r of deleted) {
        expect(existing.has(r.details.tokenId!)).toBe(false);
        const creation = created.get(r.details.tokenId);
        if (creation) expect(creation.id < r.id).toBe(true);
      }
    });

    it('write settings and log level changes as chains of old and new values', () => {
      const chronological = [...records].reverse();
      const settings = chronological.filter((r) => r.summary === 'Settings changed');
      expect(settings[0]?.changedValues.map((c) => c.field)).toContain(
        'Disable basic authentication with regular passwords',
      );
      const current = new Map<string, string | null>();
      for (const r of settings) {
        expect(r.author.username).not.toBeNull();
        expect(r.category).toBe(AUDIT_CATEGORY);
        expect(r.affectedObjects[0]?.type).toBe('settings');
        expect(r.changedValues.length).toBeGreaterThan(0);
        for (const c of r.changedValues) {
          if (current.has(c.field)) expect(c.from, c.field).toBe(current.get(c.field));
          expect(c.to).not.toBe(c.from);
          current.set(c.field, c.to);
        }
      }
      const levels = new Map<string, string | null>();
      for (const r of chronological.filter((r) => r.summary === 'Log level changed')) {
        expect(r.category).toBe(LOGGING_CATEGORY);
        expect(r.author.username).not.toBeNull();
        const logger = r.affectedObjects[0];
        expect(logger?.type).toBe('logger');
        const change = r.changedValues[0];
        expect(change?.field).toBe('level');
        const key = `${logger?.id}@${r.source.nodeId}`;
        expect(change?.from ?? null, key).toBe(levels.get(key) ?? null);
        levels.set(key, change?.to ?? null);
      }
      // The log level history ends where the logger configuration is.
      for (const [key, level] of levels) {
        const name = key.slice(0, key.lastIndexOf('@'));
        expect(data.loggers.find((l) => l.name === name)?.configuredLevel ?? null, key).toBe(level);
      }
      const wipes = records.filter((r) => r.summary === 'All API tokens of a user deleted');
      for (const r of wipes) {
        expect(r.affectedObjects[0]?.type).toBe('user');
        expect(r.affectedObjects.slice(1).every((o) => o.type === 'token')).toBe(true);
        const owner = data.users.find((u) => u.key === r.affectedObjects[0]?.id);
        // Whatever the user has now was created after the wipe.
        for (const t of data.tokens.filter((t) => t.ownerKey === owner?.key))
          expect(t.createdAt > r.timestamp).toBe(true);
      }
    });

    it('are stable in id and content when the anchor is the same', () => {
      expect(auditRecordId(1)).toBe('ar-000000001');
      expect(auditRecordId(123_456_789)).toBe('ar-123456789');
      expect(records.at(-1)?.id).toBe('ar-000000001');
      expect(records[0]?.id).toBe(auditRecordId(records.length));
    });
  });

  describe('logging', () => {
    it('configures the app loggers and a few typical ones', () => {
      for (const l of data.loggers) expect(LoggerConfigSchema.parse(l)).toEqual(l);
      const level = (name: string) => data.loggers.find((l) => l.name === name)?.configuredLevel;
      expect(level(ROOT_LOGGER)).toBe('WARN');
      expect(level(APP_LOGGERS.app)).toBe('INFO');
      expect(level(APP_LOGGERS.authService)).toBeNull();
      expect(level(APP_LOGGERS.rateLimiter)).toBeNull();
      expect(level('com.atlassian.jira')).toBe('INFO');
      expect(new Set(data.loggers.map((l) => l.name)).size).toBe(data.loggers.length);
    });

    it('has log entries of the last 7 days, newest first, in the engine’s formats', () => {
      const entries = data.logEntries;
      const start = new Date(NOW_MS - LOG_WINDOW_DAYS * DAY).toISOString();
      for (const e of entries) {
        expect(LogEntrySchema.parse(e)).toEqual(e);
        expect(e.timestamp >= start && e.timestamp <= NOW.toISOString()).toBe(true);
        expect([APP_LOGGERS.authService, APP_LOGGERS.rateLimiter]).toContain(e.logger);
        expect(DEMO_NODES).toContain(e.node);
        expect(e.thread).toMatch(/^http-nio-8080-exec-\d+$/);
        expect(e.message).toContain(`REST endpoint: ${e.url}`);
      }
      for (let i = 1; i < entries.length; i++) {
        expect(
          entries[i]!.timestamp <= entries[i - 1]!.timestamp && entries[i]!.id < entries[i - 1]!.id,
        ).toBe(true);
      }
      expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
      const messages = entries.map((e) => e.message);
      // Every line is one the engine writes, made by its formatters: no format of the seed's own.
      for (const message of messages) {
        expect(
          ENGINE_FORMATS.some((format) => format.test(message)),
          message,
        ).toBe(true);
      }
      // Each kind of line is there, and at the level and on the logger the engine writes it.
      for (const format of ENGINE_FORMATS)
        expect(
          messages.some((m) => format.test(m)),
          String(format),
        ).toBe(true);
      expect(entries.every((e) => e.level === 'INFO')).toBe(true);
      expect(
        entries.every(
          (e) => (e.logger === APP_LOGGERS.rateLimiter) === e.message.startsWith('Rate limit exceeded'),
        ),
      ).toBe(true);
      expect(entries.some((e) => e.clientIp.endsWith(',100.100.0.6'))).toBe(true);
    });
  });
});
