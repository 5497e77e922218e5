// @vitest-environment node
/**
 * Failed sign-ins counted for a cluster (SharedFailureCounter): the same lockouts as one server's
 * FailureCounter, whichever node a guess reaches; and, end to end, two real server processes on one
 * PostgreSQL that lock a username after five wrong passwords spread over both.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { migratePostgres } from '../store/postgres/migrations';
import { FailureCounter, USERNAME_LOCKOUT } from '../sign-in-guard';
import { startChildServer, type ChildServer } from '../test/child-server';
import { createTestDatabase, createTestSchema } from '../test/postgres';
import { SharedFailureCounter } from './shared-failure-counter';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('failed sign-ins counted in the database', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await createTestSchema(), max: 2 });
    await migratePostgres(pool);
  });
  afterEach(() => pool.query('DELETE FROM sign_in_failures'));
  afterAll(() => pool.end());

  it('locks a key as one server does: every fifth failure, for one minute more each time', async () => {
    const memory = new FailureCounter(USERNAME_LOCKOUT);
    // Two nodes: each failure goes to the other one.
    const nodes = [0, 1].map(() => new SharedFailureCounter(pool, 'username', USERNAME_LOCKOUT));
    for (let i = 0; i < 15; i++) {
      const at = T0 + i * 1_000;
      expect(await nodes[i % 2]!.fail('jdoe', at), `failure ${i + 1}`).toBe(memory.fail('jdoe', at));
      expect(await nodes[(i + 1) % 2]!.lockedFor('jdoe', at + 1)).toBe(memory.lockedFor('jdoe', at + 1));
    }
    expect(await nodes[0]!.lockedFor('jdoe', T0 + 14_000)).toBe(3 * MINUTE);
    // Another key, and the other counter of the same key, start from zero.
    expect(await nodes[0]!.lockedFor('jdoe2', T0)).toBe(0);
    expect(await new SharedFailureCounter(pool, 'address', USERNAME_LOCKOUT).lockedFor('jdoe', T0)).toBe(0);
  });

  it('starts from zero after the right password, or once the last failure is old enough', async () => {
    const counter = new SharedFailureCounter(pool, 'username', USERNAME_LOCKOUT);
    for (let i = 0; i < 4; i++) await counter.fail('jdoe', T0);
    await counter.succeed('jdoe');
    expect(await counter.fail('jdoe', T0)).toBe(0);
    for (let i = 0; i < 3; i++) await counter.fail('asmith', T0);
    const later = T0 + USERNAME_LOCKOUT.failureResetMs + 1;
    // The fourth and fifth failures come after the reset: no lockout, the count began again.
    expect(await counter.fail('asmith', later)).toBe(0);
    expect(await counter.fail('asmith', later)).toBe(0);
  });

  it('forgets keys with old failures and no lockout, and keeps the others', async () => {
    const counter = new SharedFailureCounter(pool, 'username', USERNAME_LOCKOUT);
    await counter.fail('old', T0);
    for (let i = 0; i < 5; i++) await counter.fail('locked', T0 + USERNAME_LOCKOUT.failureResetMs);
    await counter.fail('recent', T0 + USERNAME_LOCKOUT.failureResetMs);
    await SharedFailureCounter.purge(pool, T0 + USERNAME_LOCKOUT.failureResetMs + 1_000);
    const { rows } = await pool.query<{ key: string }>('SELECT key FROM sign_in_failures ORDER BY key');
    expect(rows.map((r) => r.key)).toEqual(['locked', 'recent']);
  });
});

describe('brute force against a cluster', () => {
  const PASSWORDS = {
    ATC_ADMIN_PASSWORD: 'right-password',
    ATC_AUDITOR_PASSWORD: 'x',
    ATC_USER_PASSWORD: 'y',
  };
  let nodes: ChildServer[] = [];
  beforeAll(async () => {
    const url = await createTestDatabase();
    // One after the other: the first creates the accounts.
    nodes.push(await startChildServer(PASSWORDS, url, { node: 'node-1' }));
    nodes.push(await startChildServer(PASSWORDS, url, { node: 'node-2' }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    nodes = [];
  });

  const signIn = (node: ChildServer, password: string) =>
    fetch(`${node.base}${BASE_PATH}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });

  it('locks a username after five wrong passwords spread over both nodes, on both', async () => {
    for (let i = 0; i < USERNAME_LOCKOUT.maxFailures; i++) {
      expect((await signIn(nodes[i % 2]!, `guess-${i}`)).status, `guess ${i + 1}`).toBe(401);
    }
    for (const node of nodes) {
      const locked = await signIn(node, 'right-password');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toMatch(/^(59|60)$/);
      expect(((await locked.json()) as { detail: string }).detail).toMatch(/^Too many failed sign-ins/);
    }
  }, 30_000);
});
