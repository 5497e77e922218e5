import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AUDIT_CATEGORY } from '../../contract/audit';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { expectTwoFieldsFilledIn, SETTINGS_BEFORE_TWO_FIELDS } from '../../backend/test/fixtures';
import type { NewAuditRecord } from '../../backend/store/port';
import { SqliteStore } from './sqlite-store';

const record = (n: number): NewAuditRecord => ({
  timestamp: `2026-11-26T10:00:0${n}.000Z`,
  author: { username: null, displayName: 'Anonymous' },
  category: AUDIT_CATEGORY,
  summary: 'Successful authentication',
  affectedObjects: [],
  changedValues: [],
  source: { clientIp: '203.0.113.7', proxyIp: null, nodeId: 'node-1', method: 'GET' },
  details: { endpoint: '/rest/api/2/myself', username: `user-${n}` },
});

/** The store on a file, and a second connection to that file: what is committed, not what is pending. */
function openStore() {
  const path = join(mkdtempSync(join(tmpdir(), 'atc-store-')), 'store.db');
  const store = SqliteStore.open(path);
  const committed = () => {
    const other = new Database(path, { readonly: true });
    try {
      return other.prepare('SELECT id FROM audit_records ORDER BY id').pluck().all() as string[];
    } finally {
      other.close();
    }
  };
  return { store, committed };
}

describe('audit records on SQLite', () => {
  it('are written together at the end of the turn, and each append resolves once they are', async () => {
    const { store, committed } = openStore();
    const committedWhenResolved: string[][] = [];
    const appends = [store.appendAuditRecords([record(1)]), store.appendAuditRecords([record(2), record(3)])];
    for (const append of appends) void append.then(() => committedWhenResolved.push(committed()));
    expect(committed()).toEqual([]);

    const [first, second] = await Promise.all(appends);
    expect([...first!, ...second!].map((r) => r.id)).toEqual([
      'ar-000000001',
      'ar-000000002',
      'ar-000000003',
    ]);
    const all = ['ar-000000001', 'ar-000000002', 'ar-000000003'];
    expect(committedWhenResolved).toEqual([all, all]);
    // Nothing to store: it resolves at once.
    expect(await store.appendAuditRecords([])).toEqual([]);
    store.close();
  });

  it('are in every read at once: a read writes the waiting records first', async () => {
    const { store, committed } = openStore();
    const appended = [store.appendAuditRecords([record(1)])];
    expect((await store.listAuditRecords({ limit: 10 })).items.map((r) => r.id)).toEqual(['ar-000000001']);
    expect(committed()).toEqual(['ar-000000001']);
    appended.push(store.appendAuditRecords([record(2)]));
    expect((await store.getAuditRecord('ar-000000002'))?.details.username).toBe('user-2');
    appended.push(store.appendAuditRecords([record(3)]));
    expect((await store.auditTopValues({ summary: [] }, 'username', 5)).map((v) => v.value)).toContain(
      'user-3',
    );
    appended.push(store.appendAuditRecords([record(4)]));
    const start = Date.parse('2026-11-26T10:00:00.000Z');
    const [bucket] = await store.auditHistogram({ summary: [] }, [start, start + 60_000]);
    expect(bucket!.success).toBe(4);
    appended.push(store.appendAuditRecords([record(5)]));
    store.close();
    expect(committed()).toHaveLength(5);
    await Promise.all(appended);
  });

  it('that could not be written are kept for the next write, and the waiting requests learn of the failure', async () => {
    const { store, committed } = openStore();
    const stored = store.appendAuditRecords([record(1)]);
    // Another process holds the write lock for longer than the store waits.
    store.db.pragma('busy_timeout = 0');
    const blocker = new Database(store.db.name);
    blocker.exec('BEGIN IMMEDIATE');
    await expect(stored).rejects.toThrow(/locked/);
    expect(committed()).toEqual([]);

    blocker.exec('ROLLBACK');
    blocker.close();
    await store.appendAuditRecords([record(2)]);
    expect(committed()).toEqual(['ar-000000001', 'ar-000000002']);
    store.close();
  });
});

describe('settings on SQLite', () => {
  it('saved before a field existed: the field gets its default, the rest is kept', async () => {
    const { store } = openStore();
    store.db
      .prepare('INSERT INTO settings (id, json, version, updated_at, updated_by) VALUES (1, ?, 4, ?, ?)')
      .run(JSON.stringify(SETTINGS_BEFORE_TWO_FIELDS), '2026-11-20T09:00:00.000Z', 'admin');

    const settings = expectTwoFieldsFilledIn(await store.getSettings());
    expect(settings).toMatchObject({ version: 4, updatedBy: 'admin' });
    store.close();
  });

  it('that the schema refuses are an error, and a save replaces them', async () => {
    const { store } = openStore();
    const broken = {
      ...DEFAULT_SETTINGS,
      auditLogging: { ...DEFAULT_SETTINGS.auditLogging, retentionDays: -1 },
    };
    store.db.prepare('INSERT INTO settings (id, json, version) VALUES (1, ?, 2)').run(JSON.stringify(broken));
    await expect(store.getSettings()).rejects.toThrow(/Retention must be at least 1/);
    expect(await store.saveSettings(DEFAULT_SETTINGS, 2, 'admin', new Date())).toMatchObject({ version: 3 });
    expect((await store.getSettings()).auditLogging.retentionDays).toBe(90);
    store.close();
  });
});
