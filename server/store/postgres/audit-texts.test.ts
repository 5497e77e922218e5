/**
 * PostgreSQL's free text over the distinct texts of the log (migration 7): each of its ways to read
 * (along a few texts' pairs, a few texts with other filters, a common text checked on each record)
 * answers as the filter's one definition does; the texts follow what is written, purged and rolled
 * back, on any node.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_CATEGORY } from '../../../contract/audit';
import { AuditFilterSchema, type AuditFilter } from '../../../contract/audit-query';
import type { DataSet } from '../../../backend/store/port';
import {
  AUDIT_FILTERS,
  newest,
  oldest,
  records,
  tieFrom,
  tieTo,
} from '../../../backend/store/store-contract/audit-filters';
import { data, DAY, iso, NODES, NOW } from '../../../backend/store/store-contract/data-set';
import {
  allAuditPages,
  DAY_STARTS,
  expectedAuditIds,
  expectedHistogram,
  newRecord,
} from '../../../backend/store/store-contract/references';
import { fixtureNewAuditRecord } from '../../../backend/test/fixtures';
import { closeContractStores, closedAfterTest } from '../../test/contract-stores';
import { createTestSchema } from '../../test/postgres';
import { recordTexts } from '../audit-texts';
import { AUDIT_COLUMNS, auditRow } from './audit-writer';
import { migratePostgres, PG_MIGRATIONS } from './migrations';
import { PostgresStore } from './postgres-store';
import { insertRows } from './sql';

afterEach(closeContractStores);

describe('PostgresStore: free text over the distinct texts', () => {
  const TEXT_FILTERS = AUDIT_FILTERS.filter(([, filter]) => filter.q !== undefined);
  /** The free text alone, and with filters that PostgreSQL's planner weighs against it. */
  const WITH: Partial<AuditFilter>[] = [{}, { category: AUDIT_CATEGORY }, { from: tieFrom, to: tieTo }];

  async function expectEveryTextFilter(store: PostgresStore) {
    for (const [name, input] of TEXT_FILTERS) {
      for (const other of WITH) {
        const filter = { ...input, ...other };
        const expected = expectedAuditIds(records, filter);
        expect(await allAuditPages(store, filter, 7), `${name} ${JSON.stringify(other)}`).toEqual(expected);
        const parsed = AuditFilterSchema.parse(filter);
        expect(await store.auditHistogram(parsed, DAY_STARTS), name).toEqual(
          expectedHistogram(parsed, DAY_STARTS),
        );
      }
    }
  }

  it('answers every free-text filter along the texts, and with every text checked on each record', async () => {
    const seeded = async (options: { maxTextScans?: number }) => {
      const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes, ...options });
      closedAfterTest(store);
      await store.seed(data);
      return store;
    };
    await expectEveryTextFilter(await seeded({}));
    await expectEveryTextFilter(await seeded({ maxTextScans: 0 }));
  });

  it('a database before migration 7 gets its texts', async () => {
    const url = await createTestSchema();
    const pool = new pg.Pool({ connectionString: url });
    try {
      expect(await migratePostgres(pool, PG_MIGRATIONS.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
      await insertRows(pool, 'audit_records', AUDIT_COLUMNS, records.map(auditRow));
    } finally {
      await pool.end();
    }
    const store = await PostgresStore.open(url, { nodes: data.nodes });
    closedAfterTest(store);
    const distinct = new Set(records.flatMap((r) => [...recordTexts(r)]));
    const { rows } = await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_texts');
    expect(Number(rows[0]!.n)).toBe(distinct.size);
    await expectEveryTextFilter(store);
  });

  it('retention deletes the texts no record has; a writer on another node never points to one', async () => {
    const url = await createTestSchema();
    const one = await PostgresStore.open(url, { nodes: NODES });
    const two = await PostgresStore.open(url, { node: 'node-2' });
    closedAfterTest(one);
    closedAfterTest(two);
    await one.seed(data);
    const texts = async () =>
      (await one.pool.query<{ text: string }>('SELECT text FROM audit_texts')).rows.map((r) => r.text);
    const old = (text: string) =>
      newRecord({
        timestamp: iso(NOW.getTime() - 30 * DAY),
        summary: 'API token deleted',
        details: { tokenDescription: text },
      });
    // Node 2 writes (and knows) a text whose only record retention is about to purge.
    await two.appendAuditRecords([old('Soon Forgotten')]);
    expect(await texts()).toContain('soon forgotten');
    await one.purgeAuditRecords(oldest.timestamp);
    expect(await texts()).not.toContain('soon forgotten');
    expect(await texts()).toContain('api token deleted');
    // The same text again, on node 2: a new text, found.
    const [again] = await two.appendAuditRecords([
      newRecord({ details: { tokenDescription: 'Soon forgotten' } }),
    ]);
    expect(await texts()).toContain('soon forgotten');
    for (const store of [one, two]) {
      expect((await store.listAuditRecords({ q: 'SOON FORGOTTEN', limit: 10 })).items).toEqual([again]);
    }
    // Every pair points to a text; every text has a pair.
    const { rows } = await one.pool.query<{ dangling: string; orphans: string }>(
      `SELECT (SELECT count(*) FROM audit_record_texts AS p
                WHERE NOT EXISTS (SELECT 1 FROM audit_texts WHERE id = p.text_id)) AS dangling,
              (SELECT count(*) FROM audit_texts AS t
                WHERE NOT EXISTS (SELECT 1 FROM audit_record_texts WHERE text_id = t.id)) AS orphans`,
    );
    expect(rows[0]).toEqual({ dangling: '0', orphans: '0' });
  });

  it('a transaction rolled back leaves no text behind: the next records with its texts are found', async () => {
    const store = await PostgresStore.open(await createTestSchema(), { nodes: data.nodes });
    closedAfterTest(store);
    const fresh = fixtureNewAuditRecord(newest.timestamp, { details: { tokenDescription: 'Rolled Back' } });
    const broken: DataSet = {
      ...data,
      auditRecords: [{ id: 'ar-000000501', ...fresh }, ...data.auditRecords],
      logEntries: [data.logEntries[0]!, ...data.logEntries],
    };
    // The audit records and their texts are in, then a log entry's id comes twice.
    await expect(store.seed(broken)).rejects.toThrow();
    await store.seed(data);
    const [appended] = await store.appendAuditRecords([fresh]);
    expect((await store.listAuditRecords({ q: 'rolled back', limit: 10 })).items).toEqual([appended]);
  });
});
