/**
 * What the server's stores have beyond the store port (passwords, sessions, bulk load, their
 * databases), and what only one of them has; the port itself is the store contract's
 * (backend/store/store-contract/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditFilterSchema } from '../../contract/audit-query';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { AUDIT_FILTERS } from '../../backend/store/store-contract/audit-filters';
import { data, NODES, NOW, USERS } from '../../backend/store/store-contract/data-set';
import {
  BASE_TOKEN_FILTER,
  expectedAuditIds,
  newRecord,
  newToken,
  tokenRowBeforeRotation,
} from '../../backend/store/store-contract/references';
import { createTestSchema } from '../test/postgres';
import { migrate, MIGRATIONS } from './migrations';
import { migratePostgres, PG_MIGRATIONS } from './postgres/migrations';
import { positional, POSTGRES_DIALECT } from './postgres/postgres-dialect';
import { PostgresStore } from './postgres/postgres-store';
import { auditConditions } from './sql-dialect';
import { SqliteStore } from './sqlite-store';

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
    expect(migrate(db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT version, description FROM schema_migrations').all()).toEqual([
      { version: 1, description: 'Initial schema' },
      { version: 2, description: 'Issues created through the Jira-shaped REST surface' },
      { version: 3, description: 'Token rotation: the previous secret and its grace period' },
      { version: 4, description: 'Indexes for every audit filter' },
      { version: 5, description: 'An index for the username filter' },
      { version: 6, description: 'The audit writer indexes new records itself' },
      { version: 7, description: 'Free-text search over the distinct texts of the audit log' },
      { version: 8, description: 'Free text of one or two characters by an index' },
      { version: 9, description: "The event index holds the records' addresses" },
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
    expect(migrate(db)).toEqual([3, 4, 5, 6, 7, 8, 9]);
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
