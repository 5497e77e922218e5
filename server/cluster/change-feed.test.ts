// @vitest-environment node
/**
 * Two nodes on one PostgreSQL database (the run's throwaway cluster): each a PostgresStore behind its
 * own CachedStore, as a server node has them, and a ChangeFeed. A change made through one node's
 * cache reaches the other's within a second: by notification, by the safety-net check when no
 * notification comes, and by a full drop when the LISTEN connection was lost.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_LOGGERS } from '../../contract/logging';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { CachedStore } from '../../backend/store/cached-store';
import { fixtureData, fixtureToken } from '../../backend/test/fixtures';
import { PostgresStore } from '../store/postgres/postgres-store';
import { createTestDatabase } from '../test/postgres';
import { ChangeFeed, type ChangeFeedOptions } from './change-feed';

const AT = new Date('2026-11-25T12:00:00.000Z');
const WITHIN_A_SECOND = { timeout: 1_000, interval: 20 };

interface TestNode {
  store: PostgresStore;
  cache: CachedStore;
  feed: ChangeFeed;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startNode(
  url: string,
  nodeId: string,
  options: Partial<ChangeFeedOptions> = {},
): Promise<TestNode> {
  const store = await PostgresStore.open(url, { node: nodeId, nodes: ['node-a', 'node-b'], poolSize: 4 });
  const cache = new CachedStore(store);
  const feed = await ChangeFeed.start({
    url,
    pool: store.pool,
    invalidate: (change) => cache.invalidate(change),
    nodeId,
    ...options,
  });
  cleanups.push(
    () => store.close(),
    () => feed.stop(),
  );
  return { store, cache, feed };
}

/** A database with jdoe and one token, and two nodes on it (B's feed as `options` say). */
async function twoNodes(options: Partial<ChangeFeedOptions> = {}) {
  const url = await createTestDatabase();
  const token = fixtureToken({ id: 'T1' });
  const a = await startNode(url, 'node-a');
  await a.store.seed({ ...fixtureData(), nodes: [], tokens: [token] });
  const b = await startNode(url, 'node-b', options);
  // B has the token, its owner, the settings and the levels in its cache.
  expect(await b.cache.findTokenByHash(token.secretHash)).toMatchObject({ id: 'T1' });
  await b.cache.findUserByKey('U3');
  await b.cache.getSettings();
  await b.cache.listLoggers('node-b');
  return { url, token, a, b };
}

describe('Changes reach every node', () => {
  it('a token revoked on A is refused on B within a second (notification)', async () => {
    const { token, a, b } = await twoNodes();
    await a.cache.deleteToken('T1');
    await expect.poll(() => b.cache.findTokenByHash(token.secretHash), WITHIN_A_SECOND).toBeUndefined();
    expect(b.feed.resyncs).toBe(0);
  });

  it('a secret rotated on A stops on B within a second; with a grace period, both work there', async () => {
    const { token, a, b } = await twoNodes();
    const until = new Date(AT.getTime() + 86_400_000).toISOString();
    await a.cache.rotateTokenSecret('T1', 'rotated-with-grace', until);
    // B's cached copy (found by the old secret) goes, so B learns of the grace period and the new secret.
    await expect
      .poll(async () => (await b.cache.findTokenByHash(token.secretHash))?.secretHash, WITHIN_A_SECOND)
      .toBe('rotated-with-grace');
    expect(await b.cache.findTokenByHash('rotated-with-grace')).toMatchObject({
      previousSecretHash: token.secretHash,
      previousSecretExpiresAt: until,
    });

    // Rotated again, at once: neither earlier secret finds the token on B any more.
    await a.cache.rotateTokenSecret('T1', 'rotated-at-once', null);
    await expect.poll(() => b.cache.findTokenByHash(token.secretHash), WITHIN_A_SECOND).toBeUndefined();
    await expect.poll(() => b.cache.findTokenByHash('rotated-with-grace'), WITHIN_A_SECOND).toBeUndefined();
    expect(await b.cache.findTokenByHash('rotated-at-once')).toMatchObject({ id: 'T1' });
    expect(b.feed.resyncs).toBe(0);
  });

  it('an edited token, the settings, a level and a user change on B as they change on A', async () => {
    const { token, a, b } = await twoNodes();
    await a.cache.updateToken('T1', { description: 'renamed on A' });
    await expect
      .poll(async () => (await b.cache.findTokenByHash(token.secretHash))?.description, WITHIN_A_SECOND)
      .toBe('renamed on A');

    const { version: _v, updatedAt: _u, updatedBy: _b, ...input } = await a.cache.getSettings();
    input.authentication.rateLimit.enabled = !DEFAULT_SETTINGS.authentication.rateLimit.enabled;
    await a.cache.saveSettings(input, 1, 'admin', AT);
    await expect
      .poll(async () => (await b.cache.getSettings()).authentication.rateLimit.enabled, WITHIN_A_SECOND)
      .toBe(input.authentication.rateLimit.enabled);

    await a.cache.setLoggerLevel('node-b', APP_LOGGERS.app, 'DEBUG');
    await expect
      .poll(async () => (await b.cache.listLoggers('node-b')).find((l) => l.name === APP_LOGGERS.app))
      .toEqual({ name: APP_LOGGERS.app, configuredLevel: 'DEBUG' });

    await a.store.pool.query(`UPDATE users SET display_name = 'Jane Doe' WHERE key = 'U3'`);
    await expect
      .poll(async () => (await b.cache.findUserByKey('U3'))?.displayName, WITHIN_A_SECOND)
      .toBe('Jane Doe');
  });

  it('a token use ("last used") notifies nobody: nodes do not cache it', async () => {
    const { a, b } = await twoNodes();
    const client = new pg.Client({ connectionString: b.store.pool.options.connectionString });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query('LISTEN atc_changes');
    const heard: string[] = [];
    client.on('notification', (message) => heard.push(message.payload ?? ''));
    await a.cache.recordTokenUse('T1', AT.toISOString(), '10.0.0.1');
    await a.cache.deleteToken('T1');
    await expect.poll(() => heard.length).toBe(1);
    expect(JSON.parse(heard[0]!)).toMatchObject({ change: { kind: 'token', id: 'T1' } });
  });

  it('a node that gets no notifications (no LISTEN) applies the change by the safety-net check', async () => {
    const { token, a, b } = await twoNodes({ listen: false, checkEveryMs: 300 });
    expect(b.feed.listening).toBe(false);
    await a.cache.deleteToken('T1');
    await expect.poll(() => b.cache.findTokenByHash(token.secretHash), WITHIN_A_SECOND).toBeUndefined();
    expect(b.feed.resyncs).toBe(1);
  });

  it('a notification lost while B listens: the safety-net check applies the change within its interval', async () => {
    const { token, a, b } = await twoNodes({ checkEveryMs: 400 });
    expect(b.feed.listening).toBe(true);
    // The change commits and raises the version, but its notification never reaches B (its trigger
    // is off for this one write): only the check can bring it, within two of its intervals.
    await a.store.pool.query(`ALTER TABLE tokens DISABLE TRIGGER tokens_changed`);
    await a.store.pool.query(`DELETE FROM tokens WHERE id = 'T1'`);
    await a.store.pool.query('UPDATE change_version SET value = value + 1');
    await a.store.pool.query(`ALTER TABLE tokens ENABLE TRIGGER tokens_changed`);
    await expect
      .poll(() => b.cache.findTokenByHash(token.secretHash), { timeout: 2 * 400 + 200, interval: 20 })
      .toBeUndefined();
    expect(b.feed.resyncs).toBe(1);
  });

  it('a lost LISTEN connection: B connects again and drops everything, missing nothing', async () => {
    // No safety net within the test's time: only the reconnection can bring the change.
    const { token, url, a, b } = await twoNodes({ checkEveryMs: 60_000, reconnectAfterMs: 300 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'atc changes node-b'`,
    );
    // Made while B hears nothing (it connects again 300 ms after it noticed).
    await a.cache.deleteToken('T1');
    await expect.poll(() => b.feed.resyncs, { timeout: 5_000 }).toBe(1);
    expect(b.feed.listening).toBe(true);
    expect(await b.cache.findTokenByHash(token.secretHash)).toBeUndefined();
  });

  it('a missed notification (a gap in the versions) drops everything', async () => {
    const { token, a, b } = await twoNodes({ checkEveryMs: 60_000 });
    // A change that bypasses the trigger (as a restore might) raises the version without notifying.
    await a.store.pool.query('UPDATE change_version SET value = value + 1');
    await a.store.pool.query(`ALTER TABLE tokens DISABLE TRIGGER tokens_changed`);
    await a.store.pool.query(`DELETE FROM tokens WHERE id = 'T1'`);
    await a.store.pool.query(`ALTER TABLE tokens ENABLE TRIGGER tokens_changed`);
    expect(await b.cache.findTokenByHash(token.secretHash)).toMatchObject({ id: 'T1' });
    // The next notification's version shows the gap.
    await a.cache.insertToken(fixtureToken({ id: 'T2' }));
    await expect.poll(() => b.cache.findTokenByHash(token.secretHash), WITHIN_A_SECOND).toBeUndefined();
    expect(b.feed.resyncs).toBe(1);
  });
});
