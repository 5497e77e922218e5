import { describe, expect, it } from 'vitest';
import { APP_LOGGERS } from '../../contract/logging';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import type { User } from '../../contract/users';
import { fixtureData, fixtureToken, FIXTURE_USERS } from '../test/fixtures';
import { CachedStore, type StoreChange } from './cached-store';
import { MemoryStore, noChanges } from './memory';
import type { Store } from './port';

// The store contract suite (store-contract/) proves that what the cache answers is right after
// every write through it. Here: that it answers from memory, forgets what it is told, stays bounded,
// and does not keep what a concurrent change made stale.

const TOKENS = ['T1', 'T2', 'T3', 'T4'].map((id) => fixtureToken({ id, secretHash: `hash-${id}` }));
const AT = new Date('2026-11-25T12:00:00.000Z');

/**
 * A cache over a memory store ("the database", changed behind the cache's back by the tests), with
 * the number of calls that reached the database per method, and users the tests may change.
 */
function setUp(options: { maxEntries?: number } = {}) {
  const database = new MemoryStore(
    { ...fixtureData(), nodes: ['node-1', 'node-2'], tokens: TOKENS },
    noChanges('admin'),
  );
  const users = new Map(FIXTURE_USERS.map((u) => [u.key, u]));
  const calls = new Map<string, number>();
  const counted = new Proxy(database, {
    get(target, name: string) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        if (name === 'findUserByKey') return Promise.resolve(users.get(args[0] as string));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  const cache = new CachedStore(counted, options);
  return { database, users, cache, calls: (name: keyof Store) => calls.get(name) ?? 0 };
}

/** The reads of every token request. */
const HOT_READS = [
  'getSettings',
  'findTokenByHash',
  'findUserByKey',
  'listLoggers',
  'listLevelReverts',
] as const;

/** The hot reads of one token request. */
async function tokenRequest(cache: CachedStore, hash = 'hash-T1') {
  return {
    settings: await cache.getSettings(),
    token: await cache.findTokenByHash(hash),
    owner: await cache.findUserByKey('U3'),
    loggers: await cache.listLoggers('node-1'),
    reverts: await cache.listLevelReverts(),
  };
}

describe('CachedStore', () => {
  it('answers the reads of the token path from memory while nothing changes', async () => {
    const { cache, calls } = setUp();
    const first = await tokenRequest(cache);
    expect(first.token?.id).toBe('T1');
    for (let i = 0; i < 5; i++) expect(await tokenRequest(cache)).toEqual(first);
    for (const method of HOT_READS) {
      expect(calls(method), method).toBe(1);
    }
    // The nodes are not kept: their state changes with time.
    await cache.listNodes();
    await cache.listNodes();
    expect(calls('listNodes')).toBe(2);
  });

  it('keeps found tokens and users only: a wrong secret asks the database every time', async () => {
    const { cache, calls } = setUp();
    expect(await cache.findTokenByHash('wrong')).toBeUndefined();
    expect(await cache.findTokenByHash('wrong')).toBeUndefined();
    expect(calls('findTokenByHash')).toBe(2);
    expect(await cache.findUserByKey('nobody')).toBeUndefined();
    expect(await cache.findUserByKey('nobody')).toBeUndefined();
    expect(calls('findUserByKey')).toBe(2);
  });

  it('drops only what a write through it changes', async () => {
    const { cache, calls } = setUp();
    await cache.findTokenByHash('hash-T1');
    await cache.findTokenByHash('hash-T2');
    await cache.recordTokenUse('T1', AT.toISOString(), '203.0.113.7');
    expect((await cache.findTokenByHash('hash-T1'))?.lastUsedIp).toBe('203.0.113.7');
    expect(await cache.findTokenByHash('hash-T2')).toBeDefined();
    // T1 was read again; T2 was not.
    expect(calls('findTokenByHash')).toBe(3);
  });

  describe('invalidate: a change made elsewhere (another node, another process)', () => {
    it('token: drops that token, and only it', async () => {
      const { database, cache, calls } = setUp();
      await cache.findTokenByHash('hash-T1');
      await cache.findTokenByHash('hash-T2');
      await database.deleteToken('T1');
      expect(await cache.findTokenByHash('hash-T1')).toBeDefined(); // stale until told
      cache.invalidate({ kind: 'token', id: 'T1' });
      expect(await cache.findTokenByHash('hash-T1')).toBeUndefined();
      expect(await cache.findTokenByHash('hash-T2')).toBeDefined();
      expect(calls('findTokenByHash')).toBe(3);
      // A token it never found: nothing to drop.
      cache.invalidate({ kind: 'token', id: 'T9' });
    });

    it('user: drops that user, and only them', async () => {
      const { users, cache, calls } = setUp();
      await cache.findUserByKey('U3');
      await cache.findUserByKey('U1');
      const moved: User = { ...users.get('U3')!, groups: ['auditors'] };
      users.set('U3', moved);
      expect((await cache.findUserByKey('U3'))?.groups).toEqual(['jira-software-users']);
      cache.invalidate({ kind: 'user', key: 'U3' });
      expect(await cache.findUserByKey('U3')).toEqual(moved);
      await cache.findUserByKey('U1');
      expect(calls('findUserByKey')).toBe(3);
    });

    it('settings: drops the settings', async () => {
      const { database, cache } = setUp();
      expect((await cache.getSettings()).version).toBe(1);
      await database.saveSettings(DEFAULT_SETTINGS, 1, 'admin', AT);
      expect((await cache.getSettings()).version).toBe(1);
      cache.invalidate({ kind: 'settings' });
      expect((await cache.getSettings()).version).toBe(2);
    });

    it('loggers: drops every node’s levels and the pending reverts', async () => {
      const { database, cache, calls } = setUp();
      const before = await tokenRequest(cache);
      await database.setLoggerLevel('node-1', APP_LOGGERS.app, 'DEBUG');
      const revert = { name: APP_LOGGERS.app, revertAt: AT.toISOString(), previous: {}, setBy: 'admin' };
      await database.setLevelRevert(APP_LOGGERS.app, revert);
      expect(await cache.listLoggers('node-1')).toBe(before.loggers);
      cache.invalidate({ kind: 'loggers' });
      expect(await cache.listLoggers('node-1')).toEqual([
        { name: APP_LOGGERS.app, configuredLevel: 'DEBUG' },
      ]);
      expect(await cache.listLevelReverts()).toEqual([revert]);
      // The settings and the token were not dropped.
      await tokenRequest(cache);
      expect(calls('getSettings')).toBe(1);
      expect(calls('findTokenByHash')).toBe(1);
    });

    it('everything: drops it all', async () => {
      const { cache, calls } = setUp();
      await tokenRequest(cache);
      cache.invalidate({ kind: 'everything' });
      await tokenRequest(cache);
      for (const method of HOT_READS) {
        expect(calls(method), method).toBe(2);
      }
    });

    it('takes a change as JSON, as a notification from another node brings it', async () => {
      const { database, cache } = setUp();
      await cache.findTokenByHash('hash-T4');
      await database.deleteToken('T4');
      const change: StoreChange = { kind: 'token', id: 'T4' };
      cache.invalidate(JSON.parse(JSON.stringify(change)) as StoreChange);
      expect(await cache.findTokenByHash('hash-T4')).toBeUndefined();
    });
  });

  it('keeps at most maxEntries tokens and users, forgetting the oldest first', async () => {
    const { database, users, cache, calls } = setUp({ maxEntries: 3 });
    for (const token of TOKENS) await cache.findTokenByHash(token.secretHash);
    expect(calls('findTokenByHash')).toBe(4);
    // T2–T4 are kept; T1 was forgotten.
    for (const token of TOKENS.slice(1)) await cache.findTokenByHash(token.secretHash);
    expect(calls('findTokenByHash')).toBe(4);
    await cache.findTokenByHash('hash-T1');
    expect(calls('findTokenByHash')).toBe(5);
    // Dropping a token by id still works after the evictions (T2 was forgotten for T1).
    await database.deleteToken('T3');
    cache.invalidate({ kind: 'token', id: 'T3' });
    expect(await cache.findTokenByHash('hash-T3')).toBeUndefined();

    users.set('U4', { ...FIXTURE_USERS[2]!, key: 'U4', username: 'jroe' });
    for (const key of ['U1', 'U2', 'U3', 'U4', 'U2', 'U3', 'U4']) await cache.findUserByKey(key);
    expect(calls('findUserByKey')).toBe(4);
    await cache.findUserByKey('U1');
    expect(calls('findUserByKey')).toBe(5);
  });

  it('does not keep an answer read while a change of its kind was dropped (it may predate the change)', async () => {
    const { database, cache, calls } = setUp();
    // The token is revoked (and the change dropped) while its lookup is under way.
    const lookup = cache.findTokenByHash('hash-T1');
    const revoked = database.deleteToken('T1');
    cache.invalidate({ kind: 'token', id: 'T1' });
    expect((await lookup)?.id).toBe('T1');
    await revoked;
    expect(await cache.findTokenByHash('hash-T1')).toBeUndefined();
    expect(calls('findTokenByHash')).toBe(2);

    const settings = cache.getSettings();
    const saved = database.saveSettings(DEFAULT_SETTINGS, 1, 'admin', AT);
    cache.invalidate({ kind: 'settings' });
    expect((await settings).version).toBe(1);
    await saved;
    expect((await cache.getSettings()).version).toBe(2);
  });
});
