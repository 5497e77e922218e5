import { linkSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import {
  expectTwoFieldsFilledIn,
  fixtureNewAuditRecord,
  SETTINGS_BEFORE_TWO_FIELDS,
} from '../../backend/test/fixtures';
import type { NewAuditRecord } from '../../backend/store/port';
import { MAX_PENDING_AUDIT, SqliteStore } from './sqlite-store';

/** Record `n` of a test: one second apart, each naming its own user. */
const record = (n: number): NewAuditRecord =>
  fixtureNewAuditRecord(`2026-11-26T10:00:0${n}.000Z`, {
    details: { endpoint: '/rest/api/2/myself', username: `user-${n}` },
  });

/** The store on a file, and what is committed in it (not what is pending in the store's memory). */
function openStore() {
  const path = join(mkdtempSync(join(tmpdir(), 'atc-store-')), 'store.db');
  const store = SqliteStore.open(path);
  const committed = () =>
    store.db.open
      ? (store.db.prepare('SELECT id FROM audit_records ORDER BY id').pluck().all() as string[])
      : readCommitted(path);
  return { store, committed, path };
}

function readCommitted(path: string): string[] {
  const other = new Database(path, { readonly: true });
  try {
    return other.prepare('SELECT id FROM audit_records ORDER BY id').pluck().all() as string[];
  } finally {
    other.close();
  }
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
    // A record larger than the free pages of the file, which may not grow (as on a full disk).
    const stored = store.appendAuditRecords([{ ...record(1), details: { username: 'x'.repeat(64 * 1024) } }]);
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    await expect(stored).rejects.toThrow(/full/);
    expect(committed()).toEqual([]);

    store.db.pragma('max_page_count = 1073741823');
    await store.appendAuditRecords([record(2)]);
    expect(committed()).toEqual(['ar-000000001', 'ar-000000002']);
    store.close();
  });
});

describe('the search indexes on SQLite', () => {
  it('follow appends and purges: each record in them once, a purged one no more', async () => {
    const { store } = openStore();
    const objects = [
      { type: 'user' as const, id: 'U1', name: 'admin' },
      { type: 'token' as const, id: 'tok-1', name: 'admin' },
    ];
    await store.appendAuditRecords([1, 2, 3, 4].map((n) => ({ ...record(n), affectedObjects: objects })));
    const indexed = () => ({
      objects: store.db.prepare('SELECT record_id, value FROM audit_objects ORDER BY 1, 2').raw().all(),
      texts: store.db.prepare('SELECT DISTINCT seq FROM audit_record_texts ORDER BY seq').pluck().all(),
      usernames: store.db
        .prepare("SELECT text FROM audit_texts WHERE text LIKE 'user-%' ORDER BY text")
        .pluck()
        .all(),
    });
    const entries = (ids: number[]) => ({
      objects: ids.flatMap((n) =>
        [`ar-00000000${n}`].flatMap((id) => [
          [id, 'U1'],
          [id, 'admin'],
          [id, 'tok-1'],
        ]),
      ),
      texts: ids,
      // A text no record has any more is gone too.
      usernames: ids.map((n) => `user-${n}`),
    });
    expect(indexed()).toEqual(entries([1, 2, 3, 4]));
    await store.purgeAuditRecords('2026-11-26T10:00:03.000Z');
    expect(indexed()).toEqual(entries([3, 4]));
    store.close();
  });

  it("find one or two characters by the texts' pieces, and forget a deleted text's pieces", async () => {
    const { store } = openStore();
    await store.appendAuditRecords([1, 2, 3, 4].map(record));
    const ids = async (q: string) => (await store.listAuditRecords({ q, limit: 10 })).items.map((r) => r.id);
    expect(await ids('-4')).toEqual(['ar-000000004']);
    expect(await ids('R-')).toEqual(['ar-000000004', 'ar-000000003', 'ar-000000002', 'ar-000000001']);
    // The pieces answer, not a reading of every text: without its piece, a text is not found.
    store.db.prepare("DELETE FROM audit_text_pieces WHERE piece = '-3'").run();
    expect(await ids('-3')).toEqual([]);
    const piecesOfNoText = store.db
      .prepare('SELECT count(*) FROM audit_text_pieces WHERE text_id NOT IN (SELECT id FROM audit_texts)')
      .pluck();
    const pieces = store.db.prepare('SELECT count(*) FROM audit_text_pieces').pluck();
    const before = pieces.get() as number;
    await store.purgeAuditRecords('2026-11-26T10:00:03.000Z');
    expect(pieces.get()).toBeLessThan(before);
    expect(piecesOfNoText.get()).toBe(0);
    store.close();
  });

  it('a free text in two texts that each pass the probe cap reads along their pairs, not every record', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atc-store-')), 'store.db');
    const store = SqliteStore.open(path, { probeCap: 3 });
    // Each record has one of two texts holding "grafana"; every one is in the range.
    await store.appendAuditRecords(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
        ...record(n),
        details: { username: n % 2 ? 'svc-grafana' : 'grafana-agent' },
      })),
    );
    const prepared: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    vi.spyOn(store.db, 'prepare').mockImplementation((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    });
    const page = await store.listAuditRecords({ q: 'grafana', ip: '198.51.100.0/24', limit: 2 });
    expect(page.items.map((r) => r.id)).toEqual(['ar-000000008', 'ar-000000007']);
    const reads = prepared.filter((sql) => /^\s*SELECT a\.id/.test(sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const sql of reads) expect(sql).toMatch(/FROM audit_record_texts AS p/);
    store.close();
  });

  it('include the username: a username filter reads along its index, not every record', async () => {
    const { store } = openStore();
    await store.appendAuditRecords([1, 2, 3, 4, 5, 6].map(record));
    const prepared: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    vi.spyOn(store.db, 'prepare').mockImplementation((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    });
    const page = await store.listAuditRecords({ username: 'user-5', limit: 10 });
    expect(page.items.map((r) => r.id)).toEqual(['ar-000000005']);
    const reads = prepared.filter((sql) => /^\s*SELECT a\.id/.test(sql));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/INDEXED BY audit_records_details_username\s+WHERE details_username = @driver/);
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

describe('a full disk (SQLite told that the file may not grow: SQLITE_FULL, as on a full disk)', () => {
  /** A record of about 2 KB. */
  const big = (n: number): NewAuditRecord => ({
    ...record(n),
    details: { username: `user-${n}-${'x'.repeat(2000)}` },
  });
  const fill = (store: SqliteStore) =>
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
  const free = (store: SqliteStore, pages: number) =>
    store.db.pragma(
      `max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + pages}`,
    );

  it('says why, keeps reads working, and writes the backlog as space comes back, in transactions that fit', async () => {
    const { store, committed } = openStore();
    const errors: string[] = [];
    const consoleError = vi
      .spyOn(console, 'error')
      .mockImplementation((message: string) => errors.push(message));
    try {
      fill(store);
      const appended = Array.from({ length: 3_000 }, (_, i) => store.appendAuditRecords([big(i + 1)]));
      await expect(Promise.all(appended)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
      expect(store.writeFailure).toMatchObject({ reason: 'the disk is full (SQLITE_FULL)' });
      expect(errors).toEqual([
        expect.stringMatching(/^Cannot write the database .*: the disk is full \(SQLITE_FULL\)/),
      ]);
      // Reads answer (without what could not be written).
      expect((await store.listAuditRecords({ limit: 10 })).items).toEqual([]);

      // Room for some of the 3,000 (about 48 MB with their indexes): what fits is written, a
      // transaction at a time.
      free(store, 6_000);
      store.tryWritingAgain();
      const partly = committed().length;
      expect(partly).toBeGreaterThan(0);
      expect(partly).toBeLessThan(3_000);
      expect(store.writeFailure).not.toBeNull();

      free(store, 1_000_000);
      store.tryWritingAgain();
      expect(committed()).toHaveLength(3_000);
      expect(store.writeFailure).toBeNull();
      // Indexed as they were written at last, not as the transaction that failed half-way left them.
      for (const n of [1, partly + 1, 3_000]) {
        const found = await store.listAuditRecords({ q: `USER-${n}-x`, limit: 5 });
        expect(found.items.map((r) => r.details.username)).toEqual([`user-${n}-${'x'.repeat(2000)}`]);
      }
      expect(errors.at(-1)).toMatch(/^Writing the database .* again/);
    } finally {
      consoleError.mockRestore();
      store.close();
    }
  });

  it('keeps at most MAX_PENDING_AUDIT records in memory meanwhile (the newest beyond it go: their requests got 503)', async () => {
    const { store, committed } = openStore();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      fill(store);
      const appended = Array.from({ length: MAX_PENDING_AUDIT + 500 }, (_, i) =>
        store.appendAuditRecords([big(i + 1)]),
      );
      await expect(Promise.all(appended)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
      free(store, 1_000_000);
      store.tryWritingAgain();
      expect(committed()).toHaveLength(MAX_PENDING_AUDIT);
      expect(consoleError).toHaveBeenLastCalledWith(
        expect.stringMatching(/500 audit records of requests answered 503 could not be kept/),
      );
    } finally {
      consoleError.mockRestore();
      store.close();
    }
  });
});

describe('the database file', () => {
  it('is held by one store at a time, whatever name it is opened by (a symlink, a hard link)', () => {
    const { store, path } = openStore();
    symlinkSync(path, `${path}.symlink`);
    linkSync(path, `${path}.hardlink`);
    for (const name of [path, `${path}.symlink`, `${path}.hardlink`]) {
      expect(() => SqliteStore.open(name, { waitForLockMs: 0 })).toThrow(
        `Another server process uses ${name}. Run one server per database file, or give this one its own --db.`,
      );
    }
    store.close();
    SqliteStore.open(`${path}.symlink`).close();
  });
});
