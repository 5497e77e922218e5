/**
 * A node's lock on its database (NodeLock): a broken connection is taken again once PostgreSQL answers,
 * and a process that became the node meanwhile ends this one's claim. The connection is broken from
 * the database's side (pg_terminate_backend), as a restart or a network cut breaks it.
 */
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestSchema } from '../../test/postgres';
import { NodeLock } from './connect';

const locks: NodeLock[] = [];
afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});

async function lockFor(url: string, onTaken: (message: string) => void = () => {}): Promise<NodeLock> {
  const lock = new NodeLock(url, 'node-1');
  lock.onTaken = onTaken;
  locks.push(lock);
  return lock;
}

/** Ends every other connection that holds an advisory lock in this database (the node's lock). */
async function breakLockConnections(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.pid <> pg_backend_pid()`,
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe("a node's lock on its database", () => {
  it('refuses a second process for the same node while the first holds it', async () => {
    const url = await createTestSchema();
    expect(await (await lockFor(url)).take()).toBe(true);
    const second = await lockFor(url);
    expect(await second.take()).toBe(false);
    expect(second.takenMessage).toMatch(/^Another server process is node node-1 of postgres:\/\//);
    expect(second.takenMessage).not.toContain(new URL(url).password || 'no-password-in-url');
  });

  it('takes its lock again once the database answers after the connection broke', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const url = await createTestSchema();
    const lock = await lockFor(url);
    expect(await lock.take()).toBe(true);

    expect(await breakLockConnections(url)).toBe(1);
    await expect.poll(() => lock.lostSince, { timeout: 5_000 }).not.toBeNull();
    await expect.poll(() => lock.lostSince, { timeout: 5_000 }).toBeNull();
    // Held again: a second process for the node is refused, as at the start.
    expect(await (await lockFor(url)).take()).toBe(false);
  });

  it('tells the server when another process became the node while its connection was broken', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const url = await createTestSchema();
    const taken = vi.fn();
    const lock = await lockFor(url, taken);
    expect(await lock.take()).toBe(true);

    await breakLockConnections(url);
    // Within the moment before the first node tries again, another process starts as node-1.
    const other = await lockFor(url);
    await expect.poll(() => other.take(), { timeout: 5_000, interval: 20 }).toBe(true);
    await expect.poll(() => taken.mock.calls.length, { timeout: 5_000 }).toBe(1);
    expect(taken.mock.calls[0]![0]).toMatch(/^Another server process is node node-1/);
    expect(lock.lostSince).not.toBeNull();
  });
});
