// @vitest-environment node
/**
 * The server's accounts: the first start, on SQLite and on PostgreSQL; brute-force detection of
 * passwords over real HTTP (see test/harness.ts), which keeps its counters in memory, on SQLite only.
 */
import { describe, expect, it } from 'vitest';
import { ensureFirstStart } from './accounts';
import { verifyPassword } from './passwords';
import { openServerStore } from './store/open';
import {
  api,
  auditRecords,
  basic,
  call,
  DATABASES,
  NODE_ID,
  PASSWORDS,
  signIn,
  startServer,
  withoutMsw,
  type RunningServer,
} from './test/harness';
import { createTestDatabase } from './test/postgres';

withoutMsw();

describe.each(DATABASES)('on %s', (database) => {
  describe('first start', () => {
    it('creates three accounts with scrypt hashes, returns generated passwords, and does nothing the second time', async () => {
      const store = await openServerStore(database === 'SQLite' ? ':memory:' : await createTestDatabase(), [
        NODE_ID,
      ]);
      try {
        const created = await ensureFirstStart(store, {});
        expect(created.map((a) => a.username)).toEqual(['admin', 'auditor', 'user']);
        expect((await store.listUsers()).map((u) => [u.username, u.role])).toEqual([
          ['admin', 'admin'],
          ['auditor', 'auditor'],
          ['user', 'user'],
        ]);
        const hashes = new Map<string, string | null>();
        for (const account of created) {
          expect(account.generated).toBe(true);
          expect(account.password).toMatch(/^[A-Za-z0-9]{20}$/);
          const hash = await store.getPasswordHash(account.username);
          expect(hash?.startsWith('scrypt$')).toBe(true);
          expect(hash).not.toContain(account.password);
          expect(await verifyPassword(account.password, hash!)).toBe(true);
          expect(await verifyPassword(`${account.password}x`, hash!)).toBe(false);
          hashes.set(account.username, hash);
        }
        expect(new Set(created.map((a) => a.password)).size).toBe(3);
        expect(await ensureFirstStart(store, PASSWORDS)).toEqual([]);
        expect(await store.listUsers()).toHaveLength(3);
        for (const [username, hash] of hashes) expect(await store.getPasswordHash(username)).toBe(hash);
      } finally {
        await store.close();
      }
    });

    it('takes the passwords from the environment when they are given', async () => {
      const store = await openServerStore(database === 'SQLite' ? ':memory:' : await createTestDatabase(), [
        NODE_ID,
      ]);
      try {
        const created = await ensureFirstStart(store, { ATC_ADMIN_PASSWORD: 'admin-pw' });
        expect(created.map((a) => [a.username, a.generated])).toEqual([
          ['admin', false],
          ['auditor', true],
          ['user', true],
        ]);
        expect(await verifyPassword('admin-pw', (await store.getPasswordHash('admin'))!)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
});

describe('brute-force detection of passwords (console sign-in and Basic with a password)', () => {
  /** A server of its own (its lockouts stay in it), with a clock the test moves on. */
  async function serverWithClock() {
    let offset = 0;
    const server = await startServer([], undefined, { now: () => new Date(Date.now() + offset) });
    return { server, advance: (ms: number) => (offset += ms) };
  }
  const signInAs = (server: RunningServer, username: string, password: string) =>
    call(server, api('/session'), { method: 'POST', json: { username, password } });

  it('locks a username after 5 wrong sign-ins: 429 with Retry-After even for the right password, then lets it in; every step audited', async () => {
    const { server, advance } = await serverWithClock();
    try {
      for (let i = 0; i < 5; i++) expect((await signInAs(server, 'user', `wrong-${i}`)).status).toBe(401);
      const locked = await signInAs(server, 'user', 'user-pw');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('content-type')).toBe('application/problem+json');
      // A minute from the fifth failure (a slow machine may have used a second or two of it).
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await locked.json()).toMatchObject({
        status: 429,
        detail: expect.stringMatching(/^Too many failed sign-ins\. Try again in (1 minute|5\d seconds)\.$/),
      });
      expect(locked.headers.getSetCookie()).toEqual([]);

      advance(60_000);
      expect((await signInAs(server, 'user', 'user-pw')).status).toBe(204);

      const jar = await signIn(server, 'auditor', 'auditor-pw');
      const records = await auditRecords(server, jar, { category: 'Sign-in', limit: '100' });
      expect(records.map((r) => [r.summary, r.author.displayName, r.details.username])).toEqual([
        ['User signed in', 'Auditor', 'auditor'],
        ['User signed in', 'Regular User', 'user'],
        ['Sign-in temporarily locked', 'Brute-force detection', 'user'],
        ...Array.from({ length: 5 }, () => ['Sign-in failed', 'Anonymous', 'user']),
      ]);
      expect(records[2]).toMatchObject({
        category: 'Sign-in',
        affectedObjects: [{ type: 'user', name: 'user' }],
        changedValues: [{ field: 'Sign-ins of this user locked until', from: null }],
        source: { clientIp: '127.0.0.1', method: 'POST' },
        details: { reason: 'TOO_MANY_FAILURES', endpoint: api('/session') },
      });
      expect(records.at(-1)!.details.reason).toBe('WRONG_PASSWORD');
      // The events can be filtered by, like every other.
      const failed = await auditRecords(server, jar, { summary: 'Sign-in failed', limit: '100' });
      expect(failed).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('locks Basic authentication with a password the same way, for a username that does not exist too', async () => {
    const { server } = await serverWithClock();
    try {
      for (const username of ['user', 'nobody-by-this-name']) {
        for (let i = 0; i < 5; i++) {
          const wrong = await call(server, '/rest/api/2/myself', { headers: basic(username, `wrong-${i}`) });
          expect(wrong.status).toBe(401);
        }
        const locked = await call(server, '/rest/api/2/myself', { headers: basic(username, 'user-pw') });
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
      }
      // Another user from the same address is not locked (10 failures: under the address's 20).
      expect((await call(server, '/rest/api/2/myself', { headers: basic('admin', 'admin-pw') })).status).toBe(
        200,
      );
    } finally {
      await server.close();
    }
  });
});
