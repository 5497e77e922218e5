// @vitest-environment node
/**
 * Nodes of one installation on one PostgreSQL database (the run's throwaway cluster), each a server
 * app as server/main.ts builds it: they know each other (registry, heartbeat, down and up again), and
 * a cluster-wide duty runs once whichever nodes try it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { APP_LOGGERS } from '../../contract/logging';
import { generateSecret, hashSecret } from '../../backend/auth/secrets';
import { fixtureNewAuditRecord, fixtureToken } from '../../backend/test/fixtures';
import { CSRF_COOKIE, CSRF_HEADER } from '../app';
import { ensureFirstStart } from '../accounts';
import { createServerApp } from '../app';
import { PostgresStore } from '../store/postgres/postgres-store';
import { createTestDatabase } from '../test/postgres';
import { APP_VERSION, startClusterNode, trimTables } from './cluster-node';
import { SharedRateLimiter } from './shared-rate-limiter';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PASSWORDS = { ATC_ADMIN_PASSWORD: 'a', ATC_AUDITOR_PASSWORD: 'b', ATC_USER_PASSWORD: 'c' };

/** A node as server/main.ts starts one (without its HTTP listener): store, app, cluster node. */
async function startNode(url: string, nodeId: string) {
  const store = await PostgresStore.open(url, { nodes: [nodeId], poolSize: 4 });
  await ensureFirstStart(store, PASSWORDS);
  const dir = mkdtempSync(join(tmpdir(), 'atc-cluster-test-'));
  const limiter = new SharedRateLimiter(store.pool);
  const server = createServerApp({
    store,
    logFile: join(dir, 'node.log'),
    nodeId,
    trustedProxies: [],
    echoLog: () => {},
    logEntriesInDatabase: true,
    tokenLimiter: limiter,
  });
  const node = await startClusterNode({
    url,
    store,
    cache: server.store,
    nodeId,
    applyLevelReverts: server.backend.applyLevelReverts,
    limiter,
  });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
    () => server.logFile.close(),
    () => node.stop(),
  );
  return { store, server, node, limiter, logPath: join(dir, 'node.log') };
}

type TestNode = Awaited<ReturnType<typeof startNode>>;

/** A request to a node's app, as a client on 10.0.0.1 makes it. */
const call = (node: TestNode, path: string, init: RequestInit = {}) =>
  node.server.app.fetch(new Request(`http://node${path}`, init));

/** Signs the administrator in on `node`: the headers of the session (cookie and CSRF token). */
async function signIn(node: TestNode): Promise<Record<string, string>> {
  const response = await call(node, `${BASE_PATH}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORDS.ATC_ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(204);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))!.slice(CSRF_COOKIE.length + 1);
  return { cookie: cookies.join('; '), [CSRF_HEADER]: csrf };
}

/** A log line as the engine writes one on `node`. */
const line = (node: string, message: string) => ({
  timestamp: new Date().toISOString(),
  level: 'INFO' as const,
  logger: APP_LOGGERS.authService,
  node,
  thread: 'http-1',
  username: 'admin',
  clientIp: '10.0.0.1',
  url: '/rest/api/2/myself',
  message,
});

describe('Nodes know each other', () => {
  it('registers each node with its address, version and start, up while it heartbeats', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    await a.node.join('http://127.0.0.1:5363/');
    await b.node.join('http://127.0.0.1:5364/');
    const nodes = await a.store.listNodes();
    expect(nodes).toEqual([
      expect.objectContaining({ id: 'node-a', state: 'up', address: 'http://127.0.0.1:5363/' }),
      expect.objectContaining({ id: 'node-b', state: 'up', address: 'http://127.0.0.1:5364/' }),
    ]);
    for (const node of nodes) {
      expect(node.version).toBe(APP_VERSION);
      expect(Date.parse(node.startedAt!)).toBeLessThanOrEqual(Date.parse(node.lastSeenAt!));
    }
  });

  it('shows a node that stopped as down at once, one that fell silent as down, and both up when back', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    await a.node.join('http://127.0.0.1:5363/');
    await b.node.join('http://127.0.0.1:5364/');
    const stateOf = async (id: string) => (await a.store.listNodes()).find((n) => n.id === id)?.state;

    await b.store.nodeStopped('node-b');
    expect(await stateOf('node-b')).toBe('down');
    await b.store.heartbeat('node-b');
    expect(await stateOf('node-b')).toBe('up');

    // Killed: no heartbeat for a minute (as the database's clock sees it).
    await a.store.pool.query(
      `UPDATE nodes SET last_seen_at = now() - interval '1 minute' WHERE node = 'node-b'`,
    );
    expect(await stateOf('node-b')).toBe('down');
    expect((await a.store.listNodes()).map((n) => n.id)).toEqual(['node-a', 'node-b']);
    await b.store.registerNode({ id: 'node-b', address: 'http://127.0.0.1:5364/', version: APP_VERSION });
    expect(await stateOf('node-b')).toBe('up');
  });
});

describe('Log entries of any node, from any node', () => {
  it("each node writes its own file; any node reads every node's entries, merged or one node's", async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    await a.server.store.appendLogEntries([line('node-a', 'first, on A')]);
    await a.server.shipper!.idle();
    await b.server.store.appendLogEntries([line('node-b', 'second, on B')]);
    await b.server.shipper!.idle();
    a.server.logFile.flush();
    b.server.logFile.flush();
    expect(readFileSync(a.logPath, 'utf8')).toContain('first, on A');
    expect(readFileSync(a.logPath, 'utf8')).not.toContain('second, on B');
    expect(readFileSync(b.logPath, 'utf8')).toContain('second, on B');

    const all = await a.server.store.listLogEntries({ limit: 10 });
    expect(all.items.map((e) => [e.node, e.message])).toEqual([
      ['node-b', 'second, on B'],
      ['node-a', 'first, on A'],
    ]);
    const onlyB = await a.server.store.listLogEntries({ limit: 10, node: 'node-b' });
    expect(onlyB.items.map((e) => e.message)).toEqual(['second, on B']);
    // B stops: what it wrote is still read from A.
    await b.node.stop();
    expect((await a.server.store.listLogEntries({ limit: 10, node: 'node-b' })).items).toHaveLength(1);
  });
});

describe('Cluster-wide duties run once', () => {
  it('only one node at a time holds a duty; the others skip it meanwhile', async () => {
    const url = await createTestDatabase();
    const [a, b] = [
      await PostgresStore.open(url, { node: 'node-a' }),
      await PostgresStore.open(url, { node: 'node-b' }),
    ];
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = a.exclusively('test duty', async () => {
      ran.push('a');
      await held;
    });
    await expect.poll(() => ran).toEqual(['a']);
    await b.exclusively('test duty', async () => void ran.push('b'));
    // Another duty is not held up by it.
    await b.exclusively('another duty', async () => void ran.push('b, another'));
    release();
    await first;
    await b.exclusively('test duty', async () => void ran.push('b'));
    expect(ran).toEqual(['a', 'b, another', 'b']);
  });

  it('a due level revert is put back once, with one audit record, when every node tries at once', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    await a.server.store.setLoggerLevel('node-b', APP_LOGGERS.app, 'DEBUG');
    await a.server.store.setLevelRevert(APP_LOGGERS.app, {
      name: APP_LOGGERS.app,
      revertAt: new Date(Date.now() - 1000).toISOString(),
      previous: { 'node-b': null },
      setBy: 'admin',
    });
    // B has heard of it (its cache holds the revert), as a node serving requests would.
    await expect.poll(async () => (await b.server.store.listLevelReverts()).length).toBe(1);
    for (let i = 0; i < 3; i++) {
      await Promise.all([
        a.server.backend.applyLevelReverts('node-a'),
        b.server.backend.applyLevelReverts('node-b'),
      ]);
    }
    const { items } = await a.store.listAuditRecords({ limit: 100 });
    expect(items.filter((r) => r.author.displayName === 'Automatic revert (set by admin)')).toHaveLength(1);
    expect(await a.store.listLevelReverts()).toEqual([]);
    expect((await a.store.listLoggers('node-b')).find((l) => l.name === APP_LOGGERS.app)).toEqual({
      name: APP_LOGGERS.app,
      configuredLevel: null,
    });
  });
});

describe('Retention holds on every node', () => {
  it('a record older than the floor another node set (its clock lags) is left out at once', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
    // B has read the retention floor (none yet), as a node serving the audit log has.
    expect((await b.server.store.listAuditRecords({ limit: 10 })).items).toEqual([]);
    await a.server.store.purgeAuditRecords(daysAgo(1));
    const [late] = await a.server.store.appendAuditRecords([fixtureNewAuditRecord(daysAgo(2))]);
    expect(await a.server.store.getAuditRecord(late!.id)).toBeUndefined();
    await expect
      .poll(() => b.server.store.getAuditRecord(late!.id), { timeout: 1_000, interval: 20 })
      .toBeUndefined();
    expect((await b.server.store.listAuditRecords({ limit: 10 })).items).toEqual([]);
  });
});

describe('Sessions are shared', () => {
  it('a session signed in on A works on B, and signing out on A ends it on B', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    const session = await signIn(a);
    expect((await call(b, `${BASE_PATH}/settings`, { headers: session })).status).toBe(200);
    const signedOut = await call(a, `${BASE_PATH}/session`, { method: 'DELETE', headers: session });
    expect(signedOut.status).toBe(204);
    expect((await call(b, `${BASE_PATH}/settings`, { headers: session })).status).toBe(401);
    expect((await call(a, `${BASE_PATH}/settings`, { headers: session })).status).toBe(401);
  });
});

describe('Rate limiting across nodes', () => {
  it("a token's limit holds for the installation when its requests alternate between two nodes", async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    const b = await startNode(url, 'node-b');
    const { version, updatedAt: _u, updatedBy: _b, ...input } = await a.server.store.getSettings();
    // 60 a minute, 10 at once: 40 requests within a few seconds get about 10 through.
    input.authentication.rateLimit = { enabled: true, requestsPerMinute: 60, burst: 10 };
    await a.server.store.saveSettings(input, version, 'admin', new Date());
    await expect
      .poll(async () => (await b.server.store.getSettings()).authentication.rateLimit.enabled)
      .toBe(true);
    const secret = generateSecret();
    await a.server.store.insertToken(
      fixtureToken({ id: 'T1', ownerKey: 'admin', ownerUsername: 'admin', secretHash: hashSecret(secret) }),
    );

    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      const node = i % 2 === 0 ? a : b;
      const response = await call(node, '/rest/api/2/myself', {
        headers: { authorization: `Bearer ${secret}` },
      });
      statuses.push(response.status);
    }
    const allowed = statuses.filter((s) => s === 200).length;
    // The burst, and one more per second the requests took (the refill); per node it would be 20.
    const refilled = Math.ceil((Date.now() - started) / 1_000);
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThanOrEqual(10 + refilled);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - allowed);
  });
});

describe('Tables that grow with traffic are trimmed', () => {
  it('keeps the newest shipped log lines and deletes the token buckets that are full again', async () => {
    const url = await createTestDatabase();
    const a = await startNode(url, 'node-a');
    await a.server.store.appendLogEntries(
      Array.from({ length: 5 }, (_, i) => line('node-a', `line ${i + 1}`)),
    );
    await a.server.shipper!.idle();
    await a.store.trimLogEntries(3);
    const kept = await a.server.store.listLogEntries({ limit: 10 });
    expect(kept.items.map((e) => e.message)).toEqual(['line 5', 'line 4', 'line 3']);

    const limit = { requestsPerMinute: 60, burst: 2 };
    const now = Date.now();
    await a.limiter.take('used now', limit, now);
    await a.limiter.take('used long ago', limit, now - 60_000);
    await trimTables({ store: a.store, cache: a.server.store, limiter: a.limiter });
    const { rows } = await a.store.pool.query<{ key: string }>('SELECT key FROM rate_limit_buckets');
    expect(rows.map((r) => r.key)).toEqual(['used now']);
  });
});
