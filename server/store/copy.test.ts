import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import type { Store } from '../../backend/store/port';
import { generateDemoData } from '../../mocks/seed/generate';
import { createTestDatabase } from '../test/postgres';
import { COPIED_TABLES, copySqliteToPostgres } from './copy';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite-store';

const NOW = new Date('2026-12-01T00:00:00Z');
const RECORDS = 1_200;

/**
 * A SQLite installation with something of everything the copy moves, on a file (made once: the copy
 * only reads it).
 */
async function makeInstallation(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'atc-copy-')), 'console.db');
  const source = SqliteStore.open(path);
  const data = generateDemoData({ now: NOW, auditRecordCount: RECORDS });
  await source.seed(data);
  await source.setPassword(data.users[0]!.username, 'scrypt$hash-of-a-password');
  await source.saveSettings(
    { ...DEFAULT_SETTINGS, auditLogging: { ...DEFAULT_SETTINGS.auditLogging, retentionDays: 400 } },
    1,
    'admin',
    NOW,
  );
  await source.rotateTokenSecret(data.tokens[0]!.id, 'new-secret-hash', '2026-12-02T00:00:00.000Z');
  await source.createSession({
    idHash: 'session-hash',
    userKey: data.users[0]!.key,
    csrfToken: 'csrf',
    createdAt: NOW.toISOString(),
    expiresAt: '2026-12-01T08:00:00.000Z',
  });
  await source.createIssue({
    projectKey: 'DEMO',
    issueTypeId: '10001',
    summary: 'Copied too',
    description: null,
    reporterKey: data.users[0]!.key,
    reporterUsername: data.users[0]!.username,
    createdAt: NOW.toISOString(),
  });
  // Retention took the oldest records: the floor and the counter come along, not only the rows.
  await source.purgeAuditRecords(data.auditRecords[RECORDS - 100]!.timestamp);
  source.close();
  return path;
}

let path: string;
beforeAll(async () => {
  path = await makeInstallation();
});
const openSource = () => SqliteStore.open(path);

/** Every audit record, newest first, page by page. */
async function allAuditRecords(store: Store, filter: { q?: string } = {}): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listAuditRecords({ ...filter, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe('db:copy, from SQLite to PostgreSQL', () => {
  it('copies users with passwords, settings, rotated tokens, sessions, issues and audit records', async () => {
    const source = openSource();
    const target = await PostgresStore.open(await createTestDatabase());
    const report = await copySqliteToPostgres(source, target, { sourceName: path, batch: 500 });

    expect(report.stopped).toBe(false);
    for (const table of COPIED_TABLES)
      expect(report.counts[table].postgres).toBe(report.counts[table].sqlite);
    expect(report.copied.audit_records).toBe(report.counts.audit_records.sqlite);
    expect(await target.listUsers()).toEqual(await source.listUsers());
    const [first] = await source.listUsers();
    expect(await target.getPasswordHash(first!.username)).toBe('scrypt$hash-of-a-password');
    expect(await target.getSettings()).toEqual(await source.getSettings());
    const tokenIds = source.db.prepare('SELECT id FROM tokens').pluck().all() as string[];
    expect(tokenIds).toHaveLength(320);
    for (const id of tokenIds) expect(await target.getToken(id)).toEqual(await source.getToken(id));
    const rotated = await target.findTokenByHash('new-secret-hash');
    expect(rotated?.previousSecretExpiresAt).toBe('2026-12-02T00:00:00.000Z');
    expect(await target.findTokenByHash(rotated!.previousSecretHash!)).toEqual(rotated);
    expect(await target.findSession('session-hash')).toEqual(await source.findSession('session-hash'));
    expect(await target.findIssue('DEMO-1')).toEqual(await source.findIssue('DEMO-1'));
    const records = await allAuditRecords(source);
    expect(records).toHaveLength(RECORDS - 99);
    expect(await allAuditRecords(target)).toEqual(records);
    // Searchable through PostgreSQL's own indexes.
    expect(await allAuditRecords(target, { q: 'grafana' })).toEqual(
      await allAuditRecords(source, { q: 'grafana' }),
    );

    // New records go on after the last id the file gave out.
    const { id: _, ...newest } = records[0]!;
    const [appended] = await target.appendAuditRecords([newest]);
    expect(appended!.id).toBe(`ar-${String(RECORDS + 1).padStart(9, '0')}`);
    await target.close();
    source.close();
  });

  it('goes on where a stopped run stopped, and copies nothing twice', async () => {
    const source = openSource();
    const url = await createTestDatabase();
    const stop = new AbortController();
    let target = await PostgresStore.open(url);
    const stopped = await copySqliteToPostgres(source, target, {
      sourceName: path,
      batch: 300,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(stopped.stopped).toBe(true);
    expect(stopped.copied.audit_records).toBe(300);
    await target.close();

    target = await PostgresStore.open(url);
    const resumed = await copySqliteToPostgres(source, target, { sourceName: path, batch: 300 });
    expect(resumed.copied.audit_records).toBe(RECORDS - 99 - 300);
    expect(resumed.copied.users).toBe(0);
    expect(resumed.counts.audit_records).toEqual({ sqlite: RECORDS - 99, postgres: RECORDS - 99 });

    const again = await copySqliteToPostgres(source, target, { sourceName: path });
    expect(again.copied).toEqual(Object.fromEntries(COPIED_TABLES.map((t) => [t, 0])));
    expect(await allAuditRecords(target)).toEqual(await allAuditRecords(source));
    await target.close();
    source.close();
  });

  it('refuses a database that holds data of its own, or the copy of another file', async () => {
    const source = openSource();
    const url = await createTestDatabase();
    const target = await PostgresStore.open(url);
    await target.insertUser({
      key: 'u-1',
      username: 'admin',
      displayName: 'Admin',
      email: 'admin@example.com',
      groups: [],
      role: 'admin',
    });
    await expect(copySqliteToPostgres(source, target, { sourceName: path })).rejects.toThrow(
      /holds data of its own/,
    );
    const other = await PostgresStore.open(await createTestDatabase());
    await copySqliteToPostgres(source, other, { sourceName: path });
    await expect(copySqliteToPostgres(source, other, { sourceName: '/elsewhere.db' })).rejects.toThrow(
      `The database is a copy of ${path}, not of /elsewhere.db`,
    );
    await Promise.all([target.close(), other.close()]);
    source.close();
  });

  it('npm run db:copy prints the counts, and never the password', async () => {
    const url = await createTestDatabase();
    const password = new URL(url).password;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/db-copy.ts', '--from', path, '--to', url],
      { encoding: 'utf8' },
    );
    const output = stdout + stderr;
    expect(output).toContain(`Copying ${path} to postgres://postgres:***@`);
    expect(output).toMatch(/audit_records +1,101 +1,101 +1,101/);
    expect(output).toContain('Every row is in PostgreSQL.');
    expect(password.length).toBeGreaterThan(8);
    expect(output).not.toContain(password);

    // A database that cannot be copied into: exit code 2, one line, no password either.
    const failed = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/db-copy.ts',
        '--from',
        path,
        '--to',
        url.replace(/\/[^/]*$/, '/no_such_db'),
      ],
      { encoding: 'utf8' },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect(failed.stderr).toMatch(/^Could not copy: Cannot open postgres:\/\/postgres:\*\*\*@.*no_such_db/);
    expect(failed.stdout + failed.stderr).not.toContain(password);
  });
});
